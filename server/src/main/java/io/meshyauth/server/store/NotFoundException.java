package io.meshyauth.server.store;

/** The account, user or key a change names does not exist. The message is safe to show an operator. */
public final class NotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    super(message);
  }
}
