package io.meshyauth.server.web;

import io.javalin.http.Context;
import io.meshyauth.server.generated.api.TokenApi;
import io.meshyauth.server.generated.model.TokenResponse;
import io.meshyauth.server.oauth.Grants;
import io.meshyauth.server.oauth.RevocationHandler;

/** Where the generated routes meet the grant logic. */
public final class TokenEndpoint implements TokenApi {
  /** RFC 6750 section 6.1.1, the token type's registered name. */
  private static final String BEARER = "Bearer";

  private final ClientAddresses addresses;
  private final Grants grants;
  private final RevocationHandler revocation;

  /** The account of each request is found, and charged to its request limit, by {@link AccountScope}. */
  public TokenEndpoint(ClientAddresses addresses, Grants grants, RevocationHandler revocation) {
    this.addresses = addresses;
    this.grants = grants;
    this.revocation = revocation;
  }

  @Override
  public TokenResponse token(Context ctx, TokenParameters parameters) {
    TokenRequestMetrics.noteGrant(ctx, parameters.grant_type());
    ErrorResponses.noStore(ctx);
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
    revocation.handle(TokenRequestConverter.toRevocationRequest(parameters));
  }
}
