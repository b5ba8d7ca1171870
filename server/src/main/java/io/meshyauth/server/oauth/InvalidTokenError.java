package io.meshyauth.server.oauth;

/**
 * RFC 6750 section 3.1: a request to a bearer-protected endpoint without a usable access token. When no token
 * was sent at all, the answer carries no error code (section 3.1: the client may not know it needs one).
 */
public final class InvalidTokenError extends RuntimeException {
  private final boolean tokenPresented;

  private InvalidTokenError(boolean tokenPresented, String description) {
    super(description, null, false, false);
    this.tokenPresented = tokenPresented;
  }

  public static InvalidTokenError missing() {
    return new InvalidTokenError(false, "An access token is required.");
  }

  public static InvalidTokenError invalid() {
    return new InvalidTokenError(true, "The access token is invalid or expired.");
  }

  /** A valid token whose user was deleted or deactivated since it was issued. */
  public static InvalidTokenError userGone() {
    return new InvalidTokenError(true, "The access token's user is no longer active.");
  }

  public boolean tokenPresented() {
    return tokenPresented;
  }

  public String description() {
    return getMessage();
  }
}
