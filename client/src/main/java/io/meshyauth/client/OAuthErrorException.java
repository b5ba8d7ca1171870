package io.meshyauth.client;

/**
 * The server refused the request with an RFC 6749 section 5.2 error: HTTP 400, or 401 where a confidential client's
 * authentication failed ({@code invalid_client}: a wrong secret, an unknown client). On the {@code users/*}
 * operations {@link #meshyMessage()} carries MeshyDB's text as well.
 */
public final class OAuthErrorException extends MeshyAuthException {
  private final String error;
  private final String description;

  OAuthErrorException(String error, String description) {
    this(error, description, null);
  }

  OAuthErrorException(String error, String description, String meshyMessage) {
    this(400, error, description, meshyMessage);
  }

  OAuthErrorException(int status, String error, String description, String meshyMessage) {
    super(status, description == null ? error : error + ": " + description, meshyMessage);
    this.error = error;
    this.description = description;
  }

  /** The RFC 6749 error code, e.g. {@code invalid_grant}. */
  public String error() {
    return error;
  }

  /** The server's client-safe explanation; may be null. */
  public String description() {
    return description;
  }
}
