package io.meshyauth.server.oauth;

import io.meshyauth.server.errors.ApiError;
import io.meshyauth.server.events.SecurityEvent.RefreshTokenReused;
import io.meshyauth.server.events.SecurityEvents;
import io.meshyauth.server.store.RefreshTokenRecord;
import io.meshyauth.server.store.RefreshTokenStore;
import io.meshyauth.server.store.UserStore;
import io.meshyauth.server.token.RefreshTokens;
import java.time.Duration;

/**
 * RFC 6749 section 6. Every refresh token is single use: the response carries its successor, and a token
 * presented after it was rotated revokes the whole family (RFC 9700 section 4.14.2), unless it comes again
 * within the grace window, as a legitimate retry would.
 */
public final class RefreshTokenGrantHandler implements GrantHandler<RefreshTokenGrant> {
  private final UserStore users;
  private final RefreshTokenStore refreshTokens;
  private final TokenMinter minter;
  /** How long after its rotation a token may be presented again and still be answered. */
  private final Duration graceWindow;
  private final SecurityEvents events;

  public RefreshTokenGrantHandler(GrantContext context) {
    this.users = context.users();
    this.refreshTokens = context.refreshTokens();
    this.minter = context.minter();
    this.graceWindow = context.refreshGraceWindow();
    this.events = context.events();
  }

  @Override
  public RefreshTokenGrant read(TokenForm form) {
    return new RefreshTokenGrant(form.client(), form.required(form.parameters().refresh_token()), form.scope(),
        form.clientAddress());
  }

  @Override
  public IssuedTokens handle(RefreshTokenGrant request) {
    var account = request.client().account();
    var presentedHash = RefreshTokens.hash(request.refreshToken());
    RefreshTokenRecord token = refreshTokens.findRefreshToken(presentedHash)
        .orElseThrow(() -> ApiError.refreshTokenInvalid().because("no such refresh token"));
    // RFC 6749 section 10.4: a token is bound to the client it was issued to
    if (!token.accountName().equals(account.name()) || !token.clientId().equals(request.clientId())) {
      throw ApiError.refreshTokenInvalid().because("refresh token issued to another client");
    }
    if (token.familyRevoked()) {
      throw ApiError.refreshTokenInvalid().because("refresh token family revoked");
    }
    // a rotated token is for rotate() to judge: a retry within the grace window, or a replay
    if (token.rotatedAt().isEmpty() && token.isExpiredAt(minter.clock().instant())) {
      throw ApiError.refreshTokenExpired().because("refresh token expired");
    }
    var user = users.findUserById(account.name(), token.userId())
        .orElseThrow(() -> ApiError.refreshTokenInvalid().because("the token's user no longer exists"));
    if (!user.active()) {
      throw ApiError.userInactive().because("user deactivated");
    }
    var scope = Scopes.narrow(token.scope(), request.scope());
    var minted = minter.mint(account, user, request.clientId(), scope, token);
    // committed before the answer leaves: a token handed out is never lost
    var outcome = refreshTokens.rotate(presentedHash, minted.refreshToken(), minter.clock().instant(), graceWindow);
    switch (outcome) {
      case ROTATED, WITHIN_GRACE -> {
      }
      case REPLAYED -> {
        events.report(new RefreshTokenReused(account.name(), request.clientId(), token.userId(), token.familyId(),
            request.clientAddress()));
        throw ApiError.refreshTokenInvalid()
            .because("rotated refresh token replayed after the grace window: family revoked");
      }
      case NOT_FOUND -> throw ApiError.refreshTokenInvalid().because("refresh token gone before its rotation");
    }
    return minted.tokens();
  }
}
