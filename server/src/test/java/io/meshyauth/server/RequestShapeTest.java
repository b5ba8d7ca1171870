package io.meshyauth.server;

import static io.meshyauth.server.TestServer.TOKEN_PATH;
import static io.meshyauth.server.TestServer.passwordForm;
import static io.meshyauth.server.testing.Forms.encode;
import static io.meshyauth.server.testing.OAuthErrors.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import io.meshyauth.server.values.Password;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Whatever bytes arrive, the answer is a 400 the document declares, never a 500. */
@ParameterizedClass(name = "on {0}")
@EnumSource(StoreKind.class)
class RequestShapeTest {
  private final TestServer server;

  RequestShapeTest(StoreKind store) {
    server = TestServer.start(store);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void jsonBodyIsInvalidRequest() {
    var answer = server.http.postRaw(TOKEN_PATH, "application/json", "{\"grant_type\":\"password\"}");

    assertError(answer, "invalid_request", "The request body must be one of [application/x-www-form-urlencoded].");
  }

  @Test
  void missingContentTypeIsInvalidRequest() {
    assertError(server.http.postRaw(TOKEN_PATH, null, encode(passwordForm())), "invalid_request",
        "The request body must be one of [application/x-www-form-urlencoded].");
  }

  @ParameterizedTest
  @ValueSource(strings = {"client_id=acme-public-key&grant_type=password&username=%ZZ&password=x",
      "grant_type=password&username=%", "%=%=%&&&=", "client_id=acme-public-key&username=a%2"})
  void brokenPercentEncodingIsInvalidRequestNotAMissingParameter(String body) {
    assertError(server.http.postRaw(TOKEN_PATH, SpecCheckedHttp.FORM, body), "invalid_request",
        "The request body is not valid form encoding: a % must be followed by two hexadecimal digits.");
  }

  @ParameterizedTest
  @ValueSource(strings = {"%C3%28", "%FF", "%ED%A0%80"})
  void usernameThatIsNotUtf8IsInvalidRequestNotAnUnknownUser(String username) {
    var body = "client_id=acme-public-key&grant_type=password&username=" + username + "&password=x";

    assertError(server.http.postRaw(TOKEN_PATH, SpecCheckedHttp.FORM, body), "invalid_request",
        "The request body is not valid form encoding: it is not UTF-8.");
  }

  @Test
  void utf8UsernameIsReadAsSent() throws Exception {
    server.server.provisioning().createUser(TestServer.ACCOUNT, "\u00e9lodie", Password.of("elodie-password"));
    var body = "client_id=acme-public-key&grant_type=password&username=%C3%A9lodie&password=elodie-password";

    var answer = server.http.postRaw(TOKEN_PATH, SpecCheckedHttp.FORM, body);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(SignedJWT.parse(answer.text("access_token")).getJWTClaimsSet().getStringClaim("id"))
        .isEqualTo("\u00e9lodie");
  }

  @Test
  void emptyBodyIsInvalidRequest() {
    assertError(server.http.postRaw(TOKEN_PATH, SpecCheckedHttp.FORM, ""), "invalid_request",
        "The grant_type parameter is required.");
  }
}
