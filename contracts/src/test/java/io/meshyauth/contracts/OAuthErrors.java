package io.meshyauth.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import feign.FeignException;
import io.meshyauth.client.OAuthErrorException;
import io.meshyauth.client.generated.model.ErrorResponse;

/** The 400 OAuth2 error (RFC 6749 section 5.2) as each kind of client sees it. */
public final class OAuthErrors {
  private OAuthErrors() {
  }

  /** As the SDK face throws it. */
  public static void assertOAuthError(OAuthErrorException e, String error, String description) {
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.error()).isEqualTo(error);
    assertThat(e.description()).isEqualTo(description);
  }

  /** As a generated Feign client throws it, its body read as the document's error model. */
  public static void assertErrorBody(FeignException e, String error, String description) {
    var body = GeneratedClients.errorBody(e, ErrorResponse.class);
    assertThat(e.status()).isEqualTo(400);
    assertThat(body.getError()).isEqualTo(error);
    assertThat(body.getErrorDescription()).isEqualTo(description);
  }
}
