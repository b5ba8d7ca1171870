package io.meshyauth.server.store;

/**
 * The change would break a rule of what it changes: a third secret for a client, or a confidential client's last
 * secret removed. The message says which, and is safe to show an operator.
 */
public final class ConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConflictException(String message) {
    super(message);
  }
}
