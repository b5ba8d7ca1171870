package io.meshyauth.server.web;

import static io.meshyauth.server.web.FormValues.optional;
import static io.meshyauth.server.web.FormValues.required;

import io.meshyauth.server.generated.api.TokenApi.RevokeParameters;
import io.meshyauth.server.generated.api.TokenApi.TokenParameters;
import io.meshyauth.server.oauth.GrantType;
import io.meshyauth.server.oauth.OAuthError;
import io.meshyauth.server.oauth.Password;
import io.meshyauth.server.oauth.RevocationHandler.RevocationRequest;
import io.meshyauth.server.oauth.Scope;
import io.meshyauth.server.oauth.TokenRequest;

/** Turns the generated form parameters into typed requests, refusing a bad shape with invalid_request. */
final class TokenRequestConverter {
  private TokenRequestConverter() {
  }

  static TokenRequest toTokenRequest(TokenParameters form, String clientAddress) {
    String clientId = required(form.client_id());
    var grantType = GrantType.parse(required(form.grant_type())).orElseThrow(OAuthError::unsupportedGrantType);
    var scope = optional(form.scope()).map(Scope::parse);
    return switch (grantType) {
      case PASSWORD -> new TokenRequest.PasswordGrant(form.accountName(), clientId, required(form.username()),
          Password.of(required(form.password())), scope, clientAddress);
      case REFRESH_TOKEN -> new TokenRequest.RefreshGrant(form.accountName(), clientId, required(form.refresh_token()),
          scope, clientAddress);
    };
  }

  static RevocationRequest toRevocationRequest(RevokeParameters form) {
    return new RevocationRequest(form.accountName(), required(form.token()), optional(form.token_type_hint()),
        optional(form.client_id()));
  }
}
