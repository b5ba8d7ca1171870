package io.meshyauth.server.errors;

import java.time.Duration;
import java.util.Optional;

/**
 * A refusal the client is told about, the one error type every answer other than a success is written from: an
 * {@link ErrorCode} with its HTTP status, a description safe to show to the client (on the API's {@code users/*}
 * paths also MeshyDB's {@code message}), and when to retry where that applies. Why it happened ({@link #because}:
 * which check failed, and the cause if one was thrown) is for the request's log line, never for the client. The
 * web layer writes it as RFC 6749 section 5.1's {@code {error, error_description}}; nothing here knows HTTP.
 */
public final class ApiError extends RuntimeException {
  private final ErrorCode code;
  private final String detail;
  private final Duration retryAfter;
  private final boolean tokenPresented;

  private ApiError(ErrorCode code, String description, String detail, Throwable cause, Duration retryAfter,
      boolean tokenPresented) {
    super(description, cause, false, false);
    this.code = code;
    this.detail = detail;
    this.retryAfter = retryAfter;
    this.tokenPresented = tokenPresented;
  }

  private ApiError(ErrorCode code, String description) {
    this(code, description, null, null, null, true);
  }

  /** Any code with its description; the factories below name the usual ones. */
  public static ApiError of(ErrorCode code, String description) {
    return new ApiError(code, description);
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

  /** When the same request may succeed (429, 503): the answer's {@code Retry-After}. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /**
   * For {@link ErrorCode#INVALID_TOKEN}: whether a token was sent at all. RFC 6750 section 3.1: when none was, the
   * challenge names no error, since the client may not have known it needed one.
   */
  public boolean tokenPresented() {
    return tokenPresented;
  }

  /** The same refusal, saying why for the log. */
  public ApiError because(String why) {
    return new ApiError(code, getMessage(), why, getCause(), retryAfter, tokenPresented);
  }

  /** The same refusal, saying why for the log, caused by {@code cause}. */
  public ApiError because(String why, Throwable cause) {
    return new ApiError(code, getMessage(), why, cause, retryAfter, tokenPresented);
  }

  /** The same refusal, to be retried after {@code delay}. */
  public ApiError retryAfter(Duration delay) {
    return new ApiError(code, getMessage(), detail, getCause(), delay, tokenPresented);
  }

  public static ApiError invalidRequest(String description) {
    return new ApiError(ErrorCode.INVALID_REQUEST, description);
  }

  public static ApiError invalidGrant(String description) {
    return new ApiError(ErrorCode.INVALID_GRANT, description);
  }

  public static ApiError invalidClient() {
    return new ApiError(ErrorCode.INVALID_CLIENT, "Client id is invalid.");
  }

  /** A client that presented credentials, or had to, and did not prove it is the client it named. */
  public static ApiError clientAuthenticationFailed() {
    return new ApiError(ErrorCode.CLIENT_AUTHENTICATION_FAILED, "Client authentication failed.");
  }

  /** RFC 6749 section 5.2: the client is authenticated but may not use the grant. */
  public static ApiError unauthorizedClient(String description) {
    return new ApiError(ErrorCode.UNAUTHORIZED_CLIENT, description);
  }

  public static ApiError unsupportedGrantType() {
    return new ApiError(ErrorCode.UNSUPPORTED_GRANT_TYPE, "Grant type is invalid.");
  }

  public static ApiError invalidScope() {
    return new ApiError(ErrorCode.INVALID_SCOPE, "Invalid scope.");
  }

  /** One answer for an unknown user and a wrong password, so that usernames cannot be enumerated. */
  public static ApiError invalidCredentials() {
    return new ApiError(ErrorCode.INVALID_GRANT, "Username or password is invalid.");
  }

  public static ApiError userInactive() {
    return new ApiError(ErrorCode.INVALID_GRANT, "User is no longer active.");
  }

  public static ApiError refreshTokenInvalid() {
    return new ApiError(ErrorCode.INVALID_GRANT, "Refresh token is invalid.");
  }

  public static ApiError refreshTokenExpired() {
    return new ApiError(ErrorCode.INVALID_GRANT, "Refresh token is expired.");
  }

  public static ApiError unsupportedTokenType() {
    return new ApiError(ErrorCode.UNSUPPORTED_TOKEN_TYPE, "Only refresh tokens can be revoked.");
  }

  /** RFC 6750 section 3.1: a bearer-protected endpoint asked without a token. */
  public static ApiError tokenMissing() {
    return new ApiError(ErrorCode.INVALID_TOKEN, "An access token is required.", null, null, null, false);
  }

  public static ApiError tokenInvalid() {
    return new ApiError(ErrorCode.INVALID_TOKEN, "The access token is invalid or expired.");
  }

  /** A valid token whose user was deleted or deactivated since it was issued. */
  public static ApiError tokenUserGone() {
    return new ApiError(ErrorCode.INVALID_TOKEN, "The access token's user is no longer active.");
  }

  /** MeshyDB's 401 of its API's bearer endpoints. */
  public static ApiError notAuthorized(boolean tokenPresented) {
    return new ApiError(ErrorCode.INVALID_TOKEN, "User is not authorized to make call.", null, null, null,
        tokenPresented);
  }

  /** RFC 6750 section 3.1: a good token without what the request needs; MeshyDB's 403. */
  public static ApiError insufficientPermission(String description) {
    return new ApiError(ErrorCode.INSUFFICIENT_SCOPE, description);
  }

  public static ApiError notFound(String description) {
    return new ApiError(ErrorCode.NOT_FOUND, description);
  }

  public static ApiError tooManyRequests(String description, Duration retryAfter) {
    return new ApiError(ErrorCode.TOO_MANY_REQUESTS, description, null, null, retryAfter, true);
  }

  public static ApiError temporarilyUnavailable(String description, Duration retryAfter) {
    return new ApiError(ErrorCode.TEMPORARILY_UNAVAILABLE, description, null, null, retryAfter, true);
  }

  public static ApiError serverError() {
    return new ApiError(ErrorCode.SERVER_ERROR, "The server could not complete the request.");
  }
}
