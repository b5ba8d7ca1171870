package io.meshyauth.server.oauth;

import io.meshyauth.server.store.Account;
import io.meshyauth.server.store.RefreshTokenRecord;
import io.meshyauth.server.store.User;
import io.meshyauth.server.token.AccessTokenIssuer;
import io.meshyauth.server.token.AccessTokenIssuer.AccessTokenClaims;
import io.meshyauth.server.token.AccessTokenIssuer.IdTokenClaims;
import io.meshyauth.server.token.AccessTokenIssuer.TokenUser;
import io.meshyauth.server.token.RefreshTokens;
import io.meshyauth.server.values.Scope;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Mints the tokens of one successful grant; the grant handler persists the refresh token. */
public final class TokenMinter {
  public static final String AUDIENCE = "meshy.api";
  static final String OPENID = "openid";

  private final AccessTokenIssuer accessTokens;
  private final RefreshTokens refreshTokens;
  private final Clock clock;

  public TokenMinter(AccessTokenIssuer accessTokens, RefreshTokens refreshTokens, Clock clock) {
    this.accessTokens = accessTokens;
    this.refreshTokens = refreshTokens;
    this.clock = clock;
  }

  /**
   * Tokens of a login: a refresh token, if any, starts a family that ends an absolute refresh lifetime from
   * now; each token of it expires a (sliding) refresh lifetime after it was issued.
   */
  Minted mint(Account account, User user, String clientId, Scope scope) {
    var now = clock.instant();
    return mint(account, user, clientId, scope, now, UUID.randomUUID().toString(),
        now.plus(account.refreshTokenAbsoluteLifetime()));
  }

  /** Tokens of a refresh: a refresh token, if any, joins the family of the one rotated, and ends with it. */
  Minted mint(Account account, User user, String clientId, Scope scope, RefreshTokenRecord rotated) {
    return mint(account, user, clientId, scope, clock.instant(), rotated.familyId(), rotated.familyExpiresAt());
  }

  private Minted mint(Account account, User user, String clientId, Scope scope, Instant now, String familyId,
      Instant familyExpiresAt) {
    var expiresAt = now.plus(account.accessTokenLifetime());
    var tokenUser = new TokenUser(user.username(), user.profile());
    // the family is the session: only a login that yields a refresh token has one
    var sessionId = scope.allowsRefresh() ? Optional.of(familyId) : Optional.<String>empty();
    var accessToken = accessTokens.issue(account, new AccessTokenClaims(user.id(), AUDIENCE, clientId, scope, now,
        expiresAt, Optional.of(tokenUser), sessionId));
    // OpenID Connect Core section 3.1.3.3: an ID token when openid was granted, on every grant as Keycloak does
    var idToken = scope.values().contains(OPENID)
        ? Optional.of(accessTokens.issueIdToken(account, new IdTokenClaims(user.id(), clientId, tokenUser, now,
            expiresAt, sessionId)))
        : Optional.<String>empty();
    if (!scope.allowsRefresh()) {
      return new Minted(new IssuedTokens(accessToken, account.accessTokenLifetime(), Optional.empty(), scope,
          idToken), Optional.empty());
    }
    var refreshToken = refreshTokens.newToken();
    var refreshExpiresAt = now.plus(account.refreshTokenLifetime());
    var record = RefreshTokenRecord.issued(RefreshTokens.hash(refreshToken), familyId, account.name(), clientId,
        user.id(), scope, now, refreshExpiresAt.isBefore(familyExpiresAt) ? refreshExpiresAt : familyExpiresAt,
        familyExpiresAt);
    return new Minted(new IssuedTokens(accessToken, account.accessTokenLifetime(), Optional.of(refreshToken), scope,
        idToken), Optional.of(record));
  }

  /**
   * The access token of a client acting for itself (client_credentials): its subject is the client (RFC 9068 section
   * 2.2), with no user's claims, no session, no refresh token and no ID token.
   */
  IssuedTokens mintForClient(AuthenticatedClient client, Scope scope) {
    var account = client.account();
    var now = clock.instant();
    var accessToken = accessTokens.issue(account, new AccessTokenClaims(client.clientId(), AUDIENCE,
        client.clientId(), scope, now, now.plus(account.accessTokenLifetime())));
    return new IssuedTokens(accessToken, account.accessTokenLifetime(), Optional.empty(), scope, Optional.empty());
  }

  Clock clock() {
    return clock;
  }

  record Minted(IssuedTokens tokens, Optional<RefreshTokenRecord> refreshToken) {
  }
}
