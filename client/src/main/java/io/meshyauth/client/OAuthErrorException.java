package io.meshyauth.client;

/** The server refused the request with an RFC 6749 section 5.2 error (HTTP 400). */
public final class OAuthErrorException extends MeshyAuthException {
  private final String error;
  private final String description;

  OAuthErrorException(String error, String description) {
    super(400, description == null ? error : error + ": " + description);
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
