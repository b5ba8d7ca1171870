package io.meshyauth.server.web;

import io.javalin.http.Context;
import io.meshyauth.server.generated.api.TokenApi;
import io.meshyauth.server.generated.model.TokenResponse;
import io.meshyauth.server.limit.AccountRequestLimiter;
import io.meshyauth.server.oauth.Grants;
import io.meshyauth.server.oauth.RevocationHandler;
import io.meshyauth.server.store.AccountStore;

/** Where the generated routes meet the grant logic. */
public final class TokenEndpoint implements TokenApi {
  /** RFC 6750 section 6.1.1, the token type's registered name. */
  private static final String BEARER = "Bearer";

  private final AccountStore accounts;
  private final AccountRequestLimiter limiter;
  private final ClientAddresses addresses;
  private final Grants grants;
  private final RevocationHandler revocation;

  public TokenEndpoint(AccountStore accounts, AccountRequestLimiter limiter, ClientAddresses addresses,
      Grants grants, RevocationHandler revocation) {
    this.accounts = accounts;
    this.limiter = limiter;
    this.addresses = addresses;
    this.grants = grants;
    this.revocation = revocation;
  }

  @Override
  public TokenResponse token(Context ctx, TokenParameters parameters) {
    TokenRequestMetrics.noteGrant(ctx, parameters.grant_type());
    ErrorResponses.noStore(ctx);
    accounts.findAccount(parameters.accountName()).ifPresent(limiter::acquire);
    var issued = grants.handle(TokenRequestConverter.toTokenRequest(parameters, addresses.of(ctx)));
    return new TokenResponse()
        .accessToken(issued.accessToken())
        .expiresIn(Math.toIntExact(issued.expiresIn().toSeconds()))
        .tokenType(BEARER)
        .refreshToken(issued.refreshToken().orElse(null))
        .scope(issued.scope().toString())
        .idToken(issued.idToken().orElse(null));
  }

  @Override
  public void revoke(Context ctx, RevokeParameters parameters) {
    ErrorResponses.noStore(ctx);
    accounts.findAccount(parameters.accountName()).ifPresent(limiter::acquire);
    revocation.handle(TokenRequestConverter.toRevocationRequest(parameters));
  }
}
