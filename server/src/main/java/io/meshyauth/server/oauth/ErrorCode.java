package io.meshyauth.server.oauth;

/**
 * RFC 6749 section 5.2 error codes, plus RFC 7009 section 2.2.1 unsupported_token_type, each with the HTTP status
 * it is answered with.
 */
public enum ErrorCode {
  INVALID_REQUEST("invalid_request", 400),
  // RFC 6749 section 5.2 allows 401 only where the client authenticated with the Authorization header; public
  // clients name themselves in the form, and MeshyDB's SDKs read invalid_client from a 400
  INVALID_CLIENT("invalid_client", 400),
  INVALID_GRANT("invalid_grant", 400),
  UNAUTHORIZED_CLIENT("unauthorized_client", 400),
  UNSUPPORTED_GRANT_TYPE("unsupported_grant_type", 400),
  INVALID_SCOPE("invalid_scope", 400),
  UNSUPPORTED_TOKEN_TYPE("unsupported_token_type", 400);

  private final String code;
  private final int status;

  ErrorCode(String code, int status) {
    this.code = code;
    this.status = status;
  }

  public String code() {
    return code;
  }

  public int status() {
    return status;
  }
}
