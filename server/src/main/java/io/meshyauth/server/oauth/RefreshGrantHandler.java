package io.meshyauth.server.oauth;

import io.meshyauth.server.store.RefreshTokenRecord;
import io.meshyauth.server.store.RefreshTokenStore;
import io.meshyauth.server.store.UserStore;
import io.meshyauth.server.token.RefreshTokens;

/**
 * RFC 6749 section 6. Every refresh token is single use: the response carries its successor, and a token
 * presented after it was rotated revokes the whole family (RFC 9700 section 4.14.2).
 */
public final class RefreshGrantHandler {
  private final ClientAuthenticator clients;
  private final UserStore users;
  private final RefreshTokenStore refreshTokens;
  private final TokenMinter minter;

  public RefreshGrantHandler(ClientAuthenticator clients, UserStore users, RefreshTokenStore refreshTokens,
      TokenMinter minter) {
    this.clients = clients;
    this.users = users;
    this.refreshTokens = refreshTokens;
    this.minter = minter;
  }

  public IssuedTokens handle(TokenRequest.RefreshGrant request) {
    var account = clients.authenticate(request.accountName(), request.clientId());
    var presentedHash = RefreshTokens.hash(request.refreshToken());
    RefreshTokenRecord token = refreshTokens.findRefreshToken(presentedHash)
        // RFC 6749 section 10.4: a token is bound to the client it was issued to
        .filter(t -> t.accountName().equals(account.name()) && t.clientId().equals(request.clientId()))
        .orElseThrow(OAuthError::refreshTokenInvalid);
    if (token.retired()) {
      refreshTokens.revokeFamily(token.familyId());
      throw OAuthError.refreshTokenInvalid();
    }
    if (token.isExpiredAt(minter.clock().instant())) {
      throw OAuthError.refreshTokenExpired();
    }
    var user = users.findUserById(account.name(), token.userId()).orElseThrow(OAuthError::refreshTokenInvalid);
    if (!user.active()) {
      throw OAuthError.userInactive();
    }
    var scope = Scopes.narrow(token.scope(), request.scope());
    var minted = minter.mint(account, user, request.clientId(), scope, token.familyId());
    if (!refreshTokens.rotate(presentedHash, minted.refreshToken())) {
      throw OAuthError.refreshTokenInvalid();
    }
    return minted.tokens();
  }
}
