package io.meshyauth.server.oauth;

/**
 * A refusal the client is told about: an RFC error code and a description safe to show to the client.
 * Anything the operator needs to know beyond that goes to the log, never into this description.
 */
public final class OAuthError extends RuntimeException {
  private final ErrorCode code;

  private OAuthError(ErrorCode code, String description) {
    super(description, null, false, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  public String description() {
    return getMessage();
  }

  public static OAuthError invalidRequest(String description) {
    return new OAuthError(ErrorCode.INVALID_REQUEST, description);
  }

  public static OAuthError invalidGrant(String description) {
    return new OAuthError(ErrorCode.INVALID_GRANT, description);
  }

  public static OAuthError invalidClient() {
    return new OAuthError(ErrorCode.INVALID_CLIENT, "Client id is invalid.");
  }

  public static OAuthError unsupportedGrantType() {
    return new OAuthError(ErrorCode.UNSUPPORTED_GRANT_TYPE, "Grant type is invalid.");
  }

  public static OAuthError invalidScope() {
    return new OAuthError(ErrorCode.INVALID_SCOPE, "Invalid scope.");
  }

  /** One answer for an unknown user and a wrong password, so that usernames cannot be enumerated. */
  public static OAuthError invalidCredentials() {
    return new OAuthError(ErrorCode.INVALID_GRANT, "Username or password is invalid.");
  }

  public static OAuthError userInactive() {
    return new OAuthError(ErrorCode.INVALID_GRANT, "User is no longer active.");
  }

  public static OAuthError refreshTokenInvalid() {
    return new OAuthError(ErrorCode.INVALID_GRANT, "Refresh token is invalid.");
  }

  public static OAuthError refreshTokenExpired() {
    return new OAuthError(ErrorCode.INVALID_GRANT, "Refresh token is expired.");
  }

  public static OAuthError unsupportedTokenType() {
    return new OAuthError(ErrorCode.UNSUPPORTED_TOKEN_TYPE, "Only refresh tokens can be revoked.");
  }
}
