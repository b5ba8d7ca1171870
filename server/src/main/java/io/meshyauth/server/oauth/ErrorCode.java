package io.meshyauth.server.oauth;

/** RFC 6749 section 5.2 error codes, plus RFC 7009 section 2.2.1 unsupported_token_type. */
public enum ErrorCode {
  INVALID_REQUEST("invalid_request"),
  INVALID_CLIENT("invalid_client"),
  INVALID_GRANT("invalid_grant"),
  UNAUTHORIZED_CLIENT("unauthorized_client"),
  UNSUPPORTED_GRANT_TYPE("unsupported_grant_type"),
  INVALID_SCOPE("invalid_scope"),
  UNSUPPORTED_TOKEN_TYPE("unsupported_token_type");

  private final String code;

  ErrorCode(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }
}
