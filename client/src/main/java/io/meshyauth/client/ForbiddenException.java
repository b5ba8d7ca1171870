package io.meshyauth.client;

/**
 * HTTP 403: the connection's access token lacks the permission the operation needs, e.g. {@code users:read} to
 * search users (RFC 6750's {@code insufficient_scope}); {@link #meshyMessage()} carries MeshyDB's text, "User has
 * insufficent permission to read users." (its spelling). A permission given since the token was issued counts
 * from the next login or {@link MeshyConnection#refresh() refresh}.
 */
public final class ForbiddenException extends MeshyAuthException {
  private final String error;
  private final String description;

  ForbiddenException(String error, String description, String meshyMessage) {
    super(403, description == null ? error : error + ": " + description, meshyMessage);
    this.error = error;
    this.description = description;
  }

  /** The RFC 6750 error code, {@code insufficient_scope}. */
  public String error() {
    return error;
  }

  /** The server's client-safe explanation; may be null. */
  public String description() {
    return description;
  }
}
