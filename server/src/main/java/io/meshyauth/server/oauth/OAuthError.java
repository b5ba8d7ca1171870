package io.meshyauth.server.oauth;

import java.util.Optional;

/**
 * A refusal the client is told about: an RFC error code with its HTTP status and a description safe to show to
 * the client. Why it happened ({@link #because}: which check failed, and the cause if one was thrown) is for the
 * request's log line, never for the client.
 */
public final class OAuthError extends RuntimeException {
  private final ErrorCode code;
  private final String detail;

  private OAuthError(ErrorCode code, String description, String detail, Throwable cause) {
    super(description, cause, false, false);
    this.code = code;
    this.detail = detail;
  }

  private OAuthError(ErrorCode code, String description) {
    this(code, description, null, null);
  }

  public ErrorCode code() {
    return code;
  }

  public int status() {
    return code.status();
  }

  /** What the client is told. */
  public String description() {
    return getMessage();
  }

  /** Why, for the operator: never sent to the client. */
  public Optional<String> detail() {
    return Optional.ofNullable(detail);
  }

  /** The same refusal, saying why for the log. */
  public OAuthError because(String detail) {
    return new OAuthError(code, getMessage(), detail, getCause());
  }

  /** The same refusal, saying why for the log, caused by {@code cause}. */
  public OAuthError because(String detail, Throwable cause) {
    return new OAuthError(code, getMessage(), detail, cause);
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
