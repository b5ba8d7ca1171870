package io.meshyauth.server.web;

import static io.meshyauth.server.routing.FormValues.optional;
import static io.meshyauth.server.routing.FormValues.required;

import io.javalin.http.Context;
import io.meshyauth.server.generated.api.TokenApi;
import io.meshyauth.server.generated.model.IntrospectionResponse;
import io.meshyauth.server.generated.model.TokenResponse;
import io.meshyauth.server.oauth.Grants;
import io.meshyauth.server.oauth.IntrospectionHandler;
import io.meshyauth.server.oauth.IntrospectionHandler.IntrospectionRequest;
import io.meshyauth.server.oauth.RevocationHandler;
import io.meshyauth.server.oauth.RevocationHandler.RevocationRequest;

/** Where the generated routes meet the grant logic. */
public final class TokenEndpoint implements TokenApi {
  /** RFC 6750 section 6.1.1, the token type's registered name. */
  private static final String BEARER = "Bearer";

  private final ClientAddresses addresses;
  private final Grants grants;
  private final RevocationHandler revocation;
  private final IntrospectionHandler introspection;

  /** The account of each request is found, and charged to its request limit, by {@link AccountScope}. */
  public TokenEndpoint(ClientAddresses addresses, Grants grants, RevocationHandler revocation,
      IntrospectionHandler introspection) {
    this.addresses = addresses;
    this.grants = grants;
    this.revocation = revocation;
    this.introspection = introspection;
  }

  @Override
  public TokenResponse token(Context ctx, TokenParameters parameters) {
    TokenRequestMetrics.noteGrant(ctx, parameters.grant_type());
    ErrorResponses.noStore(ctx);
    var issued = grants.handle(AccountScope.of(ctx),
        ClientCredentialsReader.read(ctx, parameters.client_id(), parameters.client_secret()), parameters,
        addresses.of(ctx));
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
    revocation.handle(new RevocationRequest(AccountScope.of(ctx), parameters.accountName(),
        required(parameters.token()), optional(parameters.token_type_hint()),
        ClientCredentialsReader.read(ctx, parameters.client_id(), parameters.client_secret()), addresses.of(ctx)));
  }

  @Override
  public IntrospectionResponse introspect(Context ctx, IntrospectParameters parameters) {
    ErrorResponses.noStore(ctx);
    var credentials = ClientCredentialsReader.read(ctx, parameters.client_id(), parameters.client_secret());
    var active = introspection.handle(new IntrospectionRequest(AccountScope.of(ctx), required(parameters.token()),
        optional(parameters.token_type_hint()), credentials, addresses.of(ctx)));
    var response = new IntrospectionResponse().active(active.isPresent());
    active.ifPresent(token -> response
        .scope(token.scope())
        .clientId(token.clientId())
        .username(token.username().orElse(null))
        .tokenType(token.tokenType())
        .exp(token.expiresAt().getEpochSecond())
        .iat(token.issuedAt().getEpochSecond())
        .sub(token.subject())
        .aud(token.audience().orElse(null))
        .iss(token.issuer())
        .jti(token.jwtId().orElse(null)));
    return response;
  }
}
