package io.meshyauth.server;

import static io.meshyauth.server.TestServer.ACCOUNT;
import static io.meshyauth.server.TestServer.CLIENT_ID;
import static io.meshyauth.server.TestServer.TOKEN_PATH;
import static io.meshyauth.server.TestServer.USERNAME;
import static io.meshyauth.server.TestServer.passwordForm;
import static io.meshyauth.server.TestServer.with;
import static io.meshyauth.server.TestServer.without;
import static io.meshyauth.server.testing.Forms.encode;
import static io.meshyauth.server.testing.OAuthErrors.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import io.meshyauth.server.values.Password;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "on {0}")
@EnumSource(StoreKind.class)
class PasswordGrantTest {
  private final TestServer server;

  PasswordGrantTest(StoreKind store) {
    server = TestServer.start(store);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void loginWithValidPasswordIssuesSignedAccessTokenAndRefreshToken() throws Exception {
    var answer = server.login();

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
    assertThat(answer.header("Pragma")).isEqualTo("no-cache");
    assertThat(answer.text("token_type")).isEqualTo("Bearer");
    assertThat(answer.json().get("expires_in").asInt()).isEqualTo(3600);
    assertThat(answer.text("refresh_token")).hasSizeGreaterThanOrEqualTo(43);
    assertThat(answer.text("scope")).isEqualTo("meshy.api offline_access");

    var jwt = SignedJWT.parse(answer.text("access_token"));
    var jwks = JWKSet.parse(server.http.get("/" + ACCOUNT + "/.well-known/openid-configuration/jwks")
        .response().body());
    var key = jwks.getKeyByKeyId(jwt.getHeader().getKeyID()).toECKey();
    assertThat(jwt.verify(new ECDSAVerifier(key))).isTrue();
    var claims = jwt.getJWTClaimsSet();
    var user = server.server.stores().users().findUser(ACCOUNT, USERNAME).orElseThrow();
    assertThat(claims.getSubject()).isEqualTo(user.id());
    assertThat(claims.getIssuer()).isEqualTo(server.server.baseUrl() + "/" + ACCOUNT);
    assertThat(claims.getAudience()).containsExactly("meshy.api");
    assertThat(claims.getStringClaim("client_id")).isEqualTo(CLIENT_ID);
    assertThat(claims.getStringClaim("scope")).isEqualTo("meshy.api offline_access");
    assertThat(claims.getJWTID()).isNotBlank();
    assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(3_600_000);
  }

  @Test
  void loginWithoutOfflineAccessIssuesNoRefreshToken() {
    var answer = server.http.postForm(TOKEN_PATH, with(passwordForm(), "scope", "meshy.api"));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().has("refresh_token")).isFalse();
    assertThat(answer.text("scope")).isEqualTo("meshy.api");
  }

  @Test
  void loginWithoutScopeGetsAccountScopesButNoRefreshToken() {
    var answer = server.http.postForm(TOKEN_PATH, without(passwordForm(), "scope"));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.text("scope")).isEqualTo("meshy.api openid");
    assertThat(answer.json().has("refresh_token")).isFalse();
  }

  @Test
  void loginWithWrongPasswordIsInvalidGrant() {
    var answer = server.http.postForm(TOKEN_PATH, with(passwordForm(), "password", "wrong"));

    assertError(answer, "invalid_grant", "Username or password is invalid.");
  }

  @Test
  void loginWithUnknownUserGetsTheSameAnswerAsAWrongPassword() {
    var unknownUser = server.http.postForm(TOKEN_PATH, with(passwordForm(), "username", "mallory"));
    var wrongPassword = server.http.postForm(TOKEN_PATH, with(passwordForm(), "password", "wrong"));

    assertThat(unknownUser.response().body()).isEqualTo(wrongPassword.response().body());
    assertThat(unknownUser.status()).isEqualTo(wrongPassword.status());
  }

  @Test
  void loginOfInactiveUserIsRefusedOnlyAfterThePasswordChecks() {
    server.server.provisioning().setActive(ACCOUNT, USERNAME, false);

    assertError(server.login(), "invalid_grant", "User is no longer active.");
    assertError(server.http.postForm(TOKEN_PATH, with(passwordForm(), "password", "wrong")),
        "invalid_grant", "Username or password is invalid.");
  }

  @Test
  void loginWithUnknownClientIsInvalidClient() {
    assertError(server.http.postForm(TOKEN_PATH, with(passwordForm(), "client_id", "someone-else")),
        "invalid_client", "Client id is invalid.");
  }

  @Test
  void loginToUnknownAccountIsInvalidClient() {
    assertError(server.http.postForm("/nobody/connect/token", passwordForm()),
        "invalid_client", "Client id is invalid.");
  }

  @Test
  void clientOfOneAccountCannotLogInToAnother() {
    server.server.provisioning().createAccount("other", "other-key");
    server.server.provisioning().createUser("other", USERNAME, Password.of(TestServer.PASSWORD));

    assertError(server.http.postForm("/other/connect/token", passwordForm()), "invalid_client", "Client id is invalid.");
  }

  @Test
  void loginWithScopeTheAccountDoesNotAllowIsInvalidScope() {
    assertError(server.http.postForm(TOKEN_PATH, with(passwordForm(), "scope", "meshy.api admin")),
        "invalid_scope", "Invalid scope.");
  }

  @Test
  void anonymousUserLogsInWithTheStaticPassword() {
    server.server.provisioning().createAnonymousUser(ACCOUNT, "device-42");
    var form = with(with(passwordForm(), "username", "device-42"), "password", "nopassword");

    assertThat(server.http.postForm(TOKEN_PATH, form).status()).isEqualTo(200);
  }

  @Test
  void staticAnonymousPasswordDoesNotWorkForRegularUsers() {
    assertError(server.http.postForm(TOKEN_PATH, with(passwordForm(), "password", "nopassword")),
        "invalid_grant", "Username or password is invalid.");
  }

  @Test
  void emptyParametersAreTreatedAsOmittedAsTheJsSdkSendsThem() {
    var form = with(with(passwordForm(), "client_secret", ""), "refresh_token", "");

    assertThat(server.http.postRaw(TOKEN_PATH, SpecCheckedHttp.FORM, encode(form)).status()).isEqualTo(200);
  }

  @Test
  void missingUsernameIsInvalidRequest() {
    assertError(server.http.postForm(TOKEN_PATH, without(passwordForm(), "username")),
        "invalid_request", "The username parameter is required.");
  }

  @Test
  void repeatedParameterIsInvalidRequest() {
    var body = encode(passwordForm()) + "&username=bob";

    assertError(server.http.postRaw(TOKEN_PATH, SpecCheckedHttp.FORM, body),
        "invalid_request", "The username parameter must not be repeated.");
  }

  @Test
  void unknownGrantTypeIsUnsupportedGrantType() {
    var body = encode(with(passwordForm(), "grant_type", "authorization_code"));

    assertError(server.http.postRaw(TOKEN_PATH, SpecCheckedHttp.FORM, body),
        "unsupported_grant_type", "Grant type is invalid.");
  }

  @Test
  void passwordNeverAppearsInAnErrorResponse() {
    var answer = server.http.postForm(TOKEN_PATH, with(passwordForm(), "password", "hunter2-secret"));

    assertThat(answer.response().body()).doesNotContain("hunter2-secret");
  }
}
