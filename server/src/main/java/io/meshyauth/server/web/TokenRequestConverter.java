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

  static TokenRequest toTokenRequest(TokenParameters form) {
    String clientId = required("client_id", form.clientId());
    var grantType = GrantType.parse(required("grant_type", form.grantType()))
        .orElseThrow(OAuthError::unsupportedGrantType);
    var scope = optional("scope", form.scope()).map(Scope::parse);
    return switch (grantType) {
      case PASSWORD -> new TokenRequest.PasswordGrant(form.accountName(), clientId,
          required("username", form.username()), Password.of(required("password", form.password())), scope);
      case REFRESH_TOKEN -> new TokenRequest.RefreshGrant(form.accountName(), clientId,
          required("refresh_token", form.refreshToken()), scope);
    };
  }

  static RevocationRequest toRevocationRequest(RevokeParameters form) {
    return new RevocationRequest(form.accountName(), required("token", form.token()),
        optional("token_type_hint", form.tokenTypeHint()), optional("client_id", form.clientId()));
  }
}
