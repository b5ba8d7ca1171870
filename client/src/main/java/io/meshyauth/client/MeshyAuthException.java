package io.meshyauth.client;

/**
 * A token request failed. {@link #status()} is the HTTP status, or 0 when no response arrived (the cause is
 * then the I/O failure).
 */
public class MeshyAuthException extends RuntimeException {
  private final int status;

  MeshyAuthException(int status, String message) {
    this(status, message, null);
  }

  MeshyAuthException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
