package io.meshyauth.server.oauth;

import io.meshyauth.server.errors.ApiError;
import io.meshyauth.server.store.AccountStore;
import io.meshyauth.server.store.RefreshTokenStore;
import io.meshyauth.server.token.RefreshTokens;
import java.time.Clock;
import java.util.Optional;

/** RFC 7009: revoking a refresh token ends its whole family (MeshyDB's logout). */
public final class RevocationHandler {
  private final ClientAuthenticator clients;
  private final RefreshTokenStore refreshTokens;
  private final Clock clock;

  public RevocationHandler(AccountStore accounts, RefreshTokenStore refreshTokens, Clock clock) {
    this.clients = new ClientAuthenticator(accounts);
    this.refreshTokens = refreshTokens;
    this.clock = clock;
  }

  public void handle(RevocationRequest request) {
    request.clientId().ifPresent(clientId -> clients.authenticate(request.accountName(), clientId));
    if (request.tokenTypeHint().filter("access_token"::equals).isPresent()) {
      // access tokens are self-contained JWTs that expire on their own (RFC 7009 section 2.2.1)
      throw ApiError.unsupportedTokenType();
    }
    // RFC 7009 section 2.2: an invalid or unknown token still gets 200
    refreshTokens.findRefreshToken(RefreshTokens.hash(request.token()))
        .filter(token -> token.accountName().equals(request.accountName()))
        .filter(token -> request.clientId().map(token.clientId()::equals).orElse(true))
        .ifPresent(token -> refreshTokens.revokeFamily(token.familyId(), clock.instant()));
  }

  public record RevocationRequest(String accountName, String token, Optional<String> tokenTypeHint,
      Optional<String> clientId) {
    @Override
    public String toString() {
      return "RevocationRequest[accountName=" + accountName + ", tokenTypeHint=" + tokenTypeHint + ", clientId="
          + clientId + "]";
    }
  }
}
