package io.meshyauth.server.store;

/** The account, client, user or key exists already. The message names it and is safe to show an operator. */
public final class DuplicateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DuplicateException(String message) {
    super(message);
  }
}
