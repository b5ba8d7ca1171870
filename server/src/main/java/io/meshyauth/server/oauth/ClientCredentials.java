package io.meshyauth.server.oauth;

import java.util.Optional;

/**
 * What a request presented to say which client it comes from (RFC 6749 section 2.3.1): a {@code client_id} alone
 * (a public client), or a client's id and secret, in the Authorization header ({@code client_secret_basic}) or in the
 * form ({@code client_secret_post}). The web layer reads them; {@link ClientAuthenticator} decides.
 *
 * @param clientId empty only when the request named no client at all
 * @param secret a secret sent empty counts as none: MeshyDB's SDKs send {@code client_secret=}
 */
public record ClientCredentials(Optional<String> clientId, Optional<String> secret, Method method) {
  /** How the client presented itself. */
  public enum Method {
    /** {@code client_id} alone, a secret in no form. */
    NONE,
    /** The Authorization header's Basic scheme: a failure's 401 challenges it. */
    CLIENT_SECRET_BASIC,
    /** {@code client_id} and {@code client_secret} in the form. */
    CLIENT_SECRET_POST
  }

  public static ClientCredentials publicClient(String clientId) {
    return new ClientCredentials(Optional.of(clientId), Optional.empty(), Method.NONE);
  }

  public static ClientCredentials basic(String clientId, String secret) {
    return new ClientCredentials(Optional.of(clientId), Optional.of(secret), Method.CLIENT_SECRET_BASIC);
  }

  public static ClientCredentials post(String clientId, String secret) {
    return new ClientCredentials(Optional.of(clientId), Optional.of(secret), Method.CLIENT_SECRET_POST);
  }

  @Override
  public String toString() {
    return "ClientCredentials[clientId=" + clientId + ", method=" + method + "]";
  }
}
