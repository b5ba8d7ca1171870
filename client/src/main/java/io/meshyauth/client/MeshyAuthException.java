package io.meshyauth.client;

import java.util.Optional;

/**
 * A request failed. {@link #status()} is the HTTP status, or 0 when no response arrived (the cause is then the
 * I/O failure).
 */
public class MeshyAuthException extends RuntimeException {
  private final int status;
  private final String meshyMessage;

  MeshyAuthException(int status, String message) {
    this(status, message, (Throwable) null);
  }

  MeshyAuthException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.meshyMessage = null;
  }

  MeshyAuthException(int status, String message, String meshyMessage) {
    super(message);
    this.status = status;
    this.meshyMessage = meshyMessage;
  }

  public int status() {
    return status;
  }

  /**
   * MeshyDB's {@code message}, the text its apps show to their users ("Username must be unique."): sent with the
   * refusals of the {@code users/*} operations (sign-up, recovery, the signed-in user) and of the administration
   * ({@link MeshyConnection#users()}, {@link MeshyConnection#roles()}), absent elsewhere.
   */
  public Optional<String> meshyMessage() {
    return Optional.ofNullable(meshyMessage);
  }
}
