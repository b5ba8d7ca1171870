package io.meshyauth.server.web;

import io.javalin.http.Context;
import io.meshyauth.server.errors.ApiError;
import io.meshyauth.server.oauth.ClientCredentials;
import io.meshyauth.server.routing.FormParameter;
import io.meshyauth.server.routing.FormValues;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Reads what a request presents of its client (RFC 6749 section 2.3.1): the Authorization header's Basic scheme,
 * whose id and secret are each form-urlencoded before they are joined, or the form's {@code client_id} and
 * {@code client_secret}. A request may use one way, not both (section 2.3). An Authorization header of another scheme
 * is no client authentication, and is left alone, as it always was.
 */
final class ClientCredentialsReader {
  private static final String BASIC = "basic ";

  private ClientCredentialsReader() {
  }

  static ClientCredentials read(Context ctx, FormParameter clientId, FormParameter clientSecret) {
    var formId = FormValues.optional(clientId);
    var formSecret = FormValues.optional(clientSecret);
    var header = Optional.ofNullable(ctx.header("Authorization"))
        .filter(value -> value.regionMatches(true, 0, BASIC, 0, BASIC.length()));
    if (header.isEmpty()) {
      return new ClientCredentials(formId, formSecret, formSecret.isPresent()
          ? ClientCredentials.Method.CLIENT_SECRET_POST : ClientCredentials.Method.NONE);
    }
    if (formSecret.isPresent()) {
      throw ApiError.invalidRequest("Client credentials must be sent one way, not in both the header and the form.");
    }
    var basic = basic(header.get().substring(BASIC.length()).trim());
    if (formId.filter(id -> !id.equals(basic.clientId().orElseThrow())).isPresent()) {
      throw ApiError.invalidRequest("The client_id parameter does not match the Authorization header.");
    }
    return basic;
  }

  private static ClientCredentials basic(String encoded) {
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiError.clientAuthenticationFailed().because("the Basic credentials are not Base64");
    }
    int colon = decoded.indexOf(':');
    if (colon < 1) {
      throw ApiError.clientAuthenticationFailed().because("the Basic credentials have no client id and colon");
    }
    try {
      var clientId = URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
      var secret = URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
      return new ClientCredentials(Optional.of(clientId), Optional.of(secret).filter(s -> !s.isEmpty()),
          ClientCredentials.Method.CLIENT_SECRET_BASIC);
    } catch (IllegalArgumentException e) {
      throw ApiError.clientAuthenticationFailed().because("the Basic credentials are not form-urlencoded");
    }
  }
}
