package io.meshyauth.server.oauth;

import java.util.Optional;

/** A token request whose shape has been checked; the grant handler decides whether to honour it. */
public sealed interface TokenRequest {
  String accountName();

  String clientId();

  /** The scope asked for; empty when the client named none. */
  Optional<Scope> scope();

  /** RFC 6749 section 4.3.2; the client's address counts its failed attempts (section 4.3.2's brute force). */
  record PasswordGrant(String accountName, String clientId, String username, Password password,
      Optional<Scope> scope, String clientAddress) implements TokenRequest {
  }

  /** RFC 6749 section 6; the client's address is where a replayed token came from. */
  record RefreshGrant(String accountName, String clientId, String refreshToken, Optional<Scope> scope,
      String clientAddress) implements TokenRequest {
    @Override
    public String toString() {
      return "RefreshGrant[accountName=" + accountName + ", clientId=" + clientId + ", scope=" + scope + "]";
    }
  }
}
