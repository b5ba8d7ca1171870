package io.meshyauth.server.web;

import static io.meshyauth.server.web.FormValues.optional;
import static io.meshyauth.server.web.FormValues.required;

import io.meshyauth.server.errors.ApiError;
import io.meshyauth.server.generated.api.TokenApi.RevokeParameters;
import io.meshyauth.server.generated.api.TokenApi.TokenParameters;
import io.meshyauth.server.generated.model.TokenForm.GrantTypeEnum;
import io.meshyauth.server.oauth.RevocationHandler.RevocationRequest;
import io.meshyauth.server.oauth.TokenRequest;
import io.meshyauth.server.values.Password;
import io.meshyauth.server.values.Scope;

/** Turns the generated form parameters into typed requests, refusing a bad shape with invalid_request. */
final class TokenRequestConverter {
  private TokenRequestConverter() {
  }

  static TokenRequest toTokenRequest(TokenParameters form, String clientAddress) {
    String clientId = required(form.client_id());
    var grantType = grantType(required(form.grant_type()));
    var scope = optional(form.scope()).map(Scope::parse);
    // the document's grant types, generated: a grant added there and not here does not compile
    return switch (grantType) {
      case PASSWORD -> new TokenRequest.PasswordGrant(form.accountName(), clientId, required(form.username()),
          Password.of(required(form.password())), scope, clientAddress);
      case REFRESH_TOKEN -> new TokenRequest.RefreshGrant(form.accountName(), clientId, required(form.refresh_token()),
          scope, clientAddress);
    };
  }

  private static GrantTypeEnum grantType(String value) {
    try {
      return GrantTypeEnum.fromValue(value);
    } catch (IllegalArgumentException e) {
      throw ApiError.unsupportedGrantType().because("grant type not in the document");
    }
  }

  static RevocationRequest toRevocationRequest(RevokeParameters form) {
    return new RevocationRequest(form.accountName(), required(form.token()), optional(form.token_type_hint()),
        optional(form.client_id()));
  }
}
