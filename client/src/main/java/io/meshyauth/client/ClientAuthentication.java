package io.meshyauth.client;

/**
 * How a confidential client sends its secret (RFC 6749 section 2.3.1): the {@code client_id} and secret in the
 * Authorization header's Basic scheme, which the RFC says every server supports, or as form fields.
 */
public enum ClientAuthentication {
  /** {@code Authorization: Basic}, of the id and secret each form-urlencoded, then joined by a colon. */
  CLIENT_SECRET_BASIC,
  /** {@code client_id} and {@code client_secret} in the request's form. */
  CLIENT_SECRET_POST
}
