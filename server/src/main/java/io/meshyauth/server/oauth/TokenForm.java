package io.meshyauth.server.oauth;

import io.meshyauth.server.generated.api.TokenApi.TokenParameters;
import io.meshyauth.server.routing.FormParameter;
import io.meshyauth.server.routing.FormValues;
import io.meshyauth.server.values.Scope;
import java.util.Optional;

/**
 * A token request's form, its client authenticated and its scope parsed: what a {@link GrantHandler} reads its
 * request from. The parameters are the document's, generated, so a grant reads a parameter by its name there.
 */
public record TokenForm(TokenParameters parameters, AuthenticatedClient client, Optional<Scope> scope,
    String clientAddress) {
  /**
   * The parameter's one value: {@code invalid_request} when it is missing, empty or repeated (RFC 6749 section 3.2).
   * A grant with an optional parameter reads it with {@link FormValues#optional}.
   */
  public String required(FormParameter parameter) {
    return FormValues.required(parameter);
  }
}
