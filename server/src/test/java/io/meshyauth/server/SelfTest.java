package io.meshyauth.server;

import static io.meshyauth.server.TestServer.ACCOUNT;
import static io.meshyauth.server.TestServer.PASSWORD;
import static io.meshyauth.server.TestServer.TOKEN_PATH;
import static io.meshyauth.server.TestServer.USERNAME;
import static io.meshyauth.server.TestServer.passwordForm;
import static io.meshyauth.server.TestServer.refreshForm;
import static io.meshyauth.server.TestServer.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import io.meshyauth.server.Provisioning.ProfileChange;
import io.meshyauth.server.limit.LoginThrottle.Budgets;
import io.meshyauth.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The signed-in user's endpoints: userinfo, users/me and users/me/password, with bearer access tokens. */
@ParameterizedClass(name = "on {0}")
@EnumSource(StoreKind.class)
class SelfTest {
  private static final String USERINFO = "/" + ACCOUNT + "/connect/userinfo";
  private static final String ME = "/" + ACCOUNT + "/users/me";
  private static final String ME_PASSWORD = ME + "/password";
  private static final int FAILURES_PER_USERNAME = 3;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));
  private final TestServer server;

  SelfTest(StoreKind store) {
    server = TestServer.start(store, config -> config.withClock(clock)
        .withFailedLogins(new Budgets(FAILURES_PER_USERNAME, 100, 100, Duration.ofMinutes(15))));
    server.server.provisioning().updateProfile(ACCOUNT, USERNAME, new ProfileChange(Optional.of("Alice"),
        Optional.of("Liddell"), Optional.of(List.of("admin")), Optional.of(List.of("meshes.read"))));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void userinfoAnswersTheTokensUserAsOpenIdClaims() {
    var user = server.server.stores().users().findUser(ACCOUNT, USERNAME).orElseThrow();

    var answer = server.http.get(USERINFO, accessToken());

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.text("sub")).isEqualTo(user.id());
    assertThat(answer.text("id")).isEqualTo(USERNAME);
    assertThat(answer.text("preferred_username")).isEqualTo(USERNAME);
    assertThat(answer.text("given_name")).isEqualTo("Alice");
    assertThat(answer.text("family_name")).isEqualTo("Liddell");
    assertThat(answer.json().get("role").toString()).isEqualTo("[\"admin\"]");
    assertThat(answer.json().get("permission").toString()).isEqualTo("[\"meshes.read\"]");
    assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
  }

  @Test
  void usersMeAnswersMeshyDbsUserShape() {
    var user = server.server.stores().users().findUser(ACCOUNT, USERNAME).orElseThrow();

    var answer = server.http.get(ME, accessToken());

    assertThat(answer.status()).isEqualTo(200);
    var json = answer.json();
    assertThat(json.get("id").asText()).isEqualTo(user.id());
    assertThat(json.get("username").asText()).isEqualTo(USERNAME);
    assertThat(json.get("firstName").asText()).isEqualTo("Alice");
    assertThat(json.get("lastName").asText()).isEqualTo("Liddell");
    assertThat(json.get("verified").asBoolean()).isTrue();
    assertThat(json.get("isActive").asBoolean()).isTrue();
    assertThat(json.get("anonymous").asBoolean()).isFalse();
    assertThat(json.get("roles").get(0).get("name").asText()).isEqualTo("admin");
    assertThat(Instant.parse(json.get("roles").get(0).get("addedDate").asText())).isEqualTo(clock.instant());
  }

  @Test
  void withoutATokenTheAnswerIs401WithABearerChallengeAndNoErrorCode() {
    for (var path : List.of(USERINFO, ME)) {
      var answer = server.http.getWithAuthorization(path, null);

      assertThat(answer.status()).isEqualTo(401);
      assertThat(answer.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"meshy-auth\"");
      assertThat(server.http.getWithAuthorization(path, "Basic YWxpY2U6c2VjcmV0").header("WWW-Authenticate"))
          .doesNotContain("error=");
    }
  }

  @Test
  void anExpiredTokenIs401InvalidToken() {
    var token = accessToken();

    // past the token's lifetime and Nimbus' minute of clock skew
    clock.advance(ServerConfig.AccountDefaults.standard().accessTokenLifetime().plusSeconds(61));

    assertInvalidToken(server.http.getWithAuthorization(USERINFO, "Bearer " + token));
    assertInvalidToken(server.http.getWithAuthorization(ME, "Bearer " + token));
  }

  @Test
  void aTokenOfAnotherAccountIs401InvalidToken() {
    server.server.provisioning().createAccount("other", "other-key");
    server.server.provisioning().createUser("other", USERNAME, io.meshyauth.server.values.Password.of(PASSWORD));
    var form = with(passwordForm(), "client_id", "other-key");
    var othersToken = server.http.postForm("/other/connect/token", form).text("access_token");

    assertInvalidToken(server.http.getWithAuthorization(USERINFO, "Bearer " + othersToken));
    assertThat(server.http.get("/other/connect/userinfo", othersToken).status()).isEqualTo(200);
  }

  @Test
  void aTokenSignedWithAnotherKeyUnderTheAccountsKidIs401InvalidToken() throws Exception {
    var genuine = SignedJWT.parse(accessToken());
    var forgerKey = new ECKeyGenerator(Curve.P_256).generate();
    var forged = new SignedJWT(new JWSHeader.Builder(genuine.getHeader()).build(), genuine.getJWTClaimsSet());
    forged.sign(new ECDSASigner(forgerKey));

    assertInvalidToken(server.http.getWithAuthorization(USERINFO, "Bearer " + forged.serialize()));
    assertInvalidToken(server.http.getWithAuthorization(USERINFO, "Bearer not-a-jwt"));
  }

  @Test
  void anIdTokenIsNoAccessToken() {
    var idToken = server.http.postForm(TOKEN_PATH, with(passwordForm(), "scope", "meshy.api openid"))
        .text("id_token");

    assertInvalidToken(server.http.getWithAuthorization(USERINFO, "Bearer " + idToken));
  }

  @Test
  void theTokenOfADeactivatedUserIs401() {
    var token = accessToken();

    server.server.provisioning().setActive(ACCOUNT, USERNAME, false);

    assertInvalidToken(server.http.getWithAuthorization(ME, "Bearer " + token));
  }

  @Test
  void userinfoAndUsersMeCountAgainstTheAccountsRequestLimit() {
    server.createLimitedAccount("small", "small-key", 2);
    server.server.provisioning().createUser("small", USERNAME, io.meshyauth.server.values.Password.of(PASSWORD));
    var token = server.http.postForm("/small/connect/token", with(passwordForm(), "client_id", "small-key"))
        .text("access_token");

    assertThat(server.http.get("/small/connect/userinfo", token).status()).isEqualTo(200);
    var limited = server.http.get("/small/users/me", token);

    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.header("Retry-After")).isNotNull();
  }

  @Test
  void changingThePasswordKeepsThisSessionAndEndsEveryOtherOne() {
    var thisSession = server.login();
    var otherSession = server.login();

    var answer = changePassword(thisSession.text("access_token"), PASSWORD, "a new password");

    assertThat(answer.status()).isEqualTo(204);
    assertThat(server.login().text("error")).isEqualTo("invalid_grant");
    assertThat(server.http.postForm(TOKEN_PATH, with(passwordForm(), "password", "a new password")).status())
        .isEqualTo(200);
    assertThat(server.http.postForm(TOKEN_PATH, refreshForm(thisSession.text("refresh_token"))).status())
        .isEqualTo(200);
    var other = server.http.postForm(TOKEN_PATH, refreshForm(otherSession.text("refresh_token")));
    assertThat(other.status()).isEqualTo(400);
    assertThat(other.text("error")).isEqualTo("invalid_grant");
  }

  @Test
  void aTokenWithoutSessionEndsEverySession() {
    var session = server.login();
    var withoutRefresh = server.http.postForm(TOKEN_PATH, with(passwordForm(), "scope", "meshy.api"));

    assertThat(changePassword(withoutRefresh.text("access_token"), PASSWORD, "a new password").status())
        .isEqualTo(204);

    assertThat(server.http.postForm(TOKEN_PATH, refreshForm(session.text("refresh_token"))).status())
        .isEqualTo(400);
  }

  @Test
  void aWrongPreviousPasswordIs400AndChangesNothing() {
    var token = accessToken();

    var answer = changePassword(token, "not the password", "a new password");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.text("error")).isEqualTo("invalid_grant");
    assertThat(answer.text("error_description")).isEqualTo("Previous password is invalid.");
    assertThat(server.login().status()).isEqualTo(200);
  }

  @Test
  void wrongPreviousPasswordsSpendTheFailedLoginBudgetOfTheUsername() {
    var token = accessToken();
    for (int i = 0; i < FAILURES_PER_USERNAME; i++) {
      assertThat(changePassword(token, "guess " + i, "a new password").status()).isEqualTo(400);
    }

    var blocked = changePassword(token, PASSWORD, "a new password");

    assertThat(blocked.status()).isEqualTo(429);
    assertThat(blocked.header("Retry-After")).isNotNull();
    assertThat(server.login().status()).isEqualTo(429);
  }

  @Test
  void ofConcurrentChangesWithTheSamePreviousPasswordExactlyOneWins() throws Exception {
    var token = accessToken();
    int changes = 8;
    var pool = Executors.newFixedThreadPool(changes);
    try {
      var tasks = new ArrayList<Callable<Integer>>();
      for (int i = 0; i < changes; i++) {
        var next = "new password " + i;
        tasks.add(() -> changePassword(token, PASSWORD, next).status());
      }
      var statuses = new ArrayList<Integer>();
      for (Future<Integer> status : pool.invokeAll(tasks)) {
        statuses.add(status.get());
      }

      // a loser either raced the winner (400, stale hash) or checked after it: a wrong previous password, which
      // spends the failed-login budget and ends in 429 once it is spent
      assertThat(statuses).filteredOn(s -> s == 204).hasSize(1);
      assertThat(statuses).isSubsetOf(204, 400, 429);
      // the stored hash is the winner's (its login may be throttled by now, so the hash is checked directly)
      var winner = "new password " + statuses.indexOf(204);
      assertThat(server.server.stores().users().findUser(ACCOUNT, USERNAME).orElseThrow().passwordHash()
          .map(hash -> new io.meshyauth.server.password.Argon2PasswordHasher(TestServer.FAST_ARGON2)
              .verify(io.meshyauth.server.values.Password.of(winner), hash)))
          .contains(true);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anAnonymousUserHasNoPasswordToChange() {
    server.server.provisioning().createAnonymousUser(ACCOUNT, "device-1");
    var form = with(with(passwordForm(), "username", "device-1"), "password", "nopassword");
    var token = server.http.postForm(TOKEN_PATH, form).text("access_token");

    var answer = changePassword(token, "nopassword", "a new password");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.text("error")).isEqualTo("invalid_request");
  }

  @Test
  void aBodyWithoutTheNewPasswordIs400() {
    var answer = server.http.postJsonUnchecked(ME_PASSWORD, "{\"previousPassword\":\"" + PASSWORD + "\"}",
        accessToken());

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.text("error")).isEqualTo("invalid_request");
    assertThat(server.login().status()).isEqualTo(200);
  }

  @Test
  void behindATrustedProxyWrongPreviousPasswordsSpendTheBudgetOfTheForwardedAddress() {
    try (var proxied = TestServer.start(StoreKind.SQLITE, config -> config
        .withTrustedProxies(List.of("127.0.0.1", "::1"))
        .withFailedLogins(new Budgets(FAILURES_PER_USERNAME, 100, 100, Duration.ofMinutes(15))))) {
      var token = proxied.login().text("access_token");
      for (int i = 0; i < FAILURES_PER_USERNAME; i++) {
        assertThat(changePasswordFrom(proxied, "203.0.113.7", token, "guess " + i).status()).isEqualTo(400);
      }

      var fromTheGuesser = changePasswordFrom(proxied, "203.0.113.7", token, "one guess too many");
      var fromAnotherAddress = changePasswordFrom(proxied, "198.51.100.2", token, "a typo");

      assertThat(fromTheGuesser.status()).isEqualTo(429);
      assertThat(fromAnotherAddress.status()).isEqualTo(400);
    }
  }

  private static SpecCheckedHttp.Answer changePasswordFrom(TestServer server, String address, String token,
      String previous) {
    return server.http.postJson(ME_PASSWORD, "{\"previousPassword\":\"" + previous
        + "\",\"newPassword\":\"a new password\"}",
        Map.of("Authorization", "Bearer " + token, "X-Forwarded-For", address));
  }

  private SpecCheckedHttp.Answer changePassword(String token, String previous, String next) {
    return server.http.postJson(ME_PASSWORD,
        "{\"previousPassword\":\"" + previous + "\",\"newPassword\":\"" + next + "\"}", token);
  }

  private String accessToken() {
    var login = server.login();
    assertThat(login.status()).isEqualTo(200);
    return login.text("access_token");
  }

  private static void assertInvalidToken(SpecCheckedHttp.Answer answer) {
    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.header("WWW-Authenticate")).startsWith("Bearer realm=\"meshy-auth\", error=\"invalid_token\"");
    assertThat(answer.text("error")).isEqualTo("invalid_token");
  }
}
