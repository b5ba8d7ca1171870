package io.meshyauth.server.store;

/** The database failed or could not be reached; the cause says why. */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A failure whose cause would say no more, or could reveal a secret. */
  public StoreException(String message) {
    super(message);
  }
}
