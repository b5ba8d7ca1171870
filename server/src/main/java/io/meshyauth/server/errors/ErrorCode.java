package io.meshyauth.server.errors;

/**
 * Every error code the server answers with, each with its HTTP status: RFC 6749 section 5.2's, RFC 7009 section
 * 2.2.1's unsupported_token_type, RFC 6750 section 3.1's invalid_token and insufficient_scope, and the server's own. The document
 * declares the same list once, as its {@code ErrorCode} schema ({@code ErrorCodeDocumentTest} holds the two
 * together).
 */
public enum ErrorCode {
  INVALID_REQUEST("invalid_request", 400),
  // RFC 6749 section 5.2 allows 401 only where the client authenticated with the Authorization header; public
  // clients name themselves in the form, and MeshyDB's SDKs read invalid_client from a 400
  INVALID_CLIENT("invalid_client", 400),
  // a client that tried to authenticate (a secret, or the Authorization header) and failed: RFC 6749 section 5.2's
  // 401, whose WWW-Authenticate names the Basic scheme confidential clients use
  CLIENT_AUTHENTICATION_FAILED("invalid_client", 401),
  INVALID_GRANT("invalid_grant", 400),
  UNAUTHORIZED_CLIENT("unauthorized_client", 400),
  UNSUPPORTED_GRANT_TYPE("unsupported_grant_type", 400),
  INVALID_SCOPE("invalid_scope", 400),
  UNSUPPORTED_TOKEN_TYPE("unsupported_token_type", 400),
  INVALID_TOKEN("invalid_token", 401),
  // RFC 6750 section 3.1: the token is good but does not carry what the request needs
  INSUFFICIENT_SCOPE("insufficient_scope", 403),
  NOT_FOUND("not_found", 404),
  METHOD_NOT_ALLOWED("method_not_allowed", 405),
  TOO_MANY_REQUESTS("too_many_requests", 429),
  SERVER_ERROR("server_error", 500),
  TEMPORARILY_UNAVAILABLE("temporarily_unavailable", 503);

  private final String code;
  private final int status;

  ErrorCode(String code, int status) {
    this.code = code;
    this.status = status;
  }

  /** As it is written in an answer's {@code error} field. */
  public String code() {
    return code;
  }

  public int status() {
    return status;
  }
}
