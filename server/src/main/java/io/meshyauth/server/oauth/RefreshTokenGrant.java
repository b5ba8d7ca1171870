package io.meshyauth.server.oauth;

import io.meshyauth.server.values.Scope;
import java.util.Optional;

/** RFC 6749 section 6; the client's address is where a replayed token came from. */
public record RefreshTokenGrant(AuthenticatedClient client, String refreshToken, Optional<Scope> scope,
    String clientAddress) implements TokenRequest {
  @Override
  public String toString() {
    return "RefreshTokenGrant[accountName=" + accountName() + ", clientId=" + clientId() + ", scope=" + scope + "]";
  }
}
