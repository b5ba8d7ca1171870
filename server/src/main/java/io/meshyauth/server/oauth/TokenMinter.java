package io.meshyauth.server.oauth;

import io.meshyauth.server.store.Account;
import io.meshyauth.server.store.RefreshTokenRecord;
import io.meshyauth.server.store.User;
import io.meshyauth.server.token.AccessTokenIssuer;
import io.meshyauth.server.token.AccessTokenIssuer.AccessTokenClaims;
import io.meshyauth.server.token.RefreshTokens;
import java.time.Clock;
import java.util.Optional;

/** Mints the tokens of one successful grant; the grant handler persists the refresh token. */
public final class TokenMinter {
  static final String AUDIENCE = "meshy.api";

  private final AccessTokenIssuer accessTokens;
  private final RefreshTokens refreshTokens;
  private final Clock clock;

  public TokenMinter(AccessTokenIssuer accessTokens, RefreshTokens refreshTokens, Clock clock) {
    this.accessTokens = accessTokens;
    this.refreshTokens = refreshTokens;
    this.clock = clock;
  }

  Minted mint(Account account, User user, String clientId, Scope scope, String familyId) {
    var now = clock.instant();
    var accessToken = accessTokens.issue(new AccessTokenClaims(account.name(), user.id(), AUDIENCE, clientId, scope,
        now, now.plus(account.accessTokenLifetime())));
    if (!scope.allowsRefresh()) {
      return new Minted(new IssuedTokens(accessToken, account.accessTokenLifetime(), Optional.empty(), scope),
          Optional.empty());
    }
    var refreshToken = refreshTokens.newToken();
    var record = new RefreshTokenRecord(RefreshTokens.hash(refreshToken), familyId, account.name(), clientId,
        user.id(), scope, now, now.plus(account.refreshTokenLifetime()), false);
    return new Minted(new IssuedTokens(accessToken, account.accessTokenLifetime(), Optional.of(refreshToken), scope),
        Optional.of(record));
  }

  Clock clock() {
    return clock;
  }

  record Minted(IssuedTokens tokens, Optional<RefreshTokenRecord> refreshToken) {
  }
}
