package io.meshyauth.server;

import static io.meshyauth.server.TestServer.CLIENT_ID;
import static io.meshyauth.server.TestServer.REVOCATION_PATH;
import static io.meshyauth.server.TestServer.TOKEN_PATH;
import static io.meshyauth.server.TestServer.refreshForm;
import static io.meshyauth.server.testing.OAuthErrors.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "on {0}")
@EnumSource(StoreKind.class)
class RevocationTest {
  private final TestServer server;

  RevocationTest(StoreKind store) {
    server = TestServer.start(store);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void revokedRefreshTokenNoLongerRefreshes() {
    var token = server.login().text("refresh_token");

    var answer = server.http.postForm(REVOCATION_PATH, revocationForm(token));

    assertThat(answer.status()).isEqualTo(200);
    assertError(server.http.postForm(TOKEN_PATH, refreshForm(token)), "invalid_grant", "Refresh token is invalid.");
  }

  @Test
  void revocationEndsTheWholeFamily() {
    var first = server.login().text("refresh_token");
    var second = server.http.postForm(TOKEN_PATH, refreshForm(first)).text("refresh_token");

    server.http.postForm(REVOCATION_PATH, revocationForm(first));

    assertError(server.http.postForm(TOKEN_PATH, refreshForm(second)), "invalid_grant", "Refresh token is invalid.");
  }

  @Test
  void revocationOfUnknownTokenStillAnswers200() {
    assertThat(server.http.postForm(REVOCATION_PATH, revocationForm("never-issued")).status()).isEqualTo(200);
  }

  @Test
  void revocationWithoutTokenIsInvalidRequest() {
    var answer = server.http.postRaw(REVOCATION_PATH, SpecCheckedHttp.FORM, "client_id=" + CLIENT_ID);

    assertError(answer, "invalid_request", "The token parameter is required.");
  }

  @Test
  void revocationOfAccessTokenIsUnsupportedTokenType() {
    var form = revocationForm(server.login().text("access_token"));
    form.put("token_type_hint", "access_token");

    assertError(server.http.postForm(REVOCATION_PATH, form), "unsupported_token_type",
        "Only refresh tokens can be revoked.");
  }

  @Test
  void revocationWithUnknownClientIsInvalidClient() {
    var form = revocationForm("whatever");
    form.put("client_id", "someone-else");

    assertError(server.http.postForm(REVOCATION_PATH, form), "invalid_client", "Client id is invalid.");
  }

  @Test
  void revocationByAnotherAccountLeavesTheTokenWorking() {
    var token = server.login().text("refresh_token");
    server.server.provisioning().createAccount("other", "other-key");
    var form = revocationForm(token);
    form.put("client_id", "other-key");

    assertThat(server.http.postForm("/other/connect/revocation", form).status()).isEqualTo(200);
    assertThat(server.http.postForm(TOKEN_PATH, refreshForm(token)).status()).isEqualTo(200);
  }

  @Test
  void revocationAsTheDotNetSdkSendsItWithCapitalisedTokenAndDoubleSlash() {
    var token = server.login().text("refresh_token");
    var body = "Token=" + token + "&token_type_hint=refresh_token&client_id=" + CLIENT_ID;

    var answer = server.http.postRaw("/" + TestServer.ACCOUNT + "//connect/revocation", SpecCheckedHttp.FORM, body);

    assertThat(answer.status()).isEqualTo(200);
    assertError(server.http.postForm(TOKEN_PATH, refreshForm(token)), "invalid_grant", "Refresh token is invalid.");
  }

  private static Map<String, String> revocationForm(String token) {
    var form = new LinkedHashMap<String, String>();
    form.put("token", token);
    form.put("token_type_hint", "refresh_token");
    form.put("client_id", CLIENT_ID);
    return form;
  }
}
