package io.meshyauth.server;

import static io.meshyauth.server.TestServer.ACCOUNT;
import static io.meshyauth.server.TestServer.TOKEN_PATH;
import static io.meshyauth.server.TestServer.USERNAME;
import static io.meshyauth.server.TestServer.refreshForm;
import static io.meshyauth.server.TestServer.with;
import static io.meshyauth.server.testing.OAuthErrors.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshyauth.server.testing.MutableClock;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "on {0}")
@EnumSource(StoreKind.class)
class RefreshGrantTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T12:00:00Z"));
  private final TestServer server;

  RefreshGrantTest(StoreKind store) {
    server = TestServer.start(store, clock);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void refreshIssuesNewTokensAndRotatesTheRefreshToken() {
    var first = server.login().text("refresh_token");

    var answer = server.http.postForm(TOKEN_PATH, refreshForm(first));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
    assertThat(answer.text("access_token")).isNotBlank();
    assertThat(answer.text("refresh_token")).isNotBlank().isNotEqualTo(first);
    assertThat(answer.text("scope")).isEqualTo("meshy.api offline_access");
  }

  @Test
  void refreshWhenTokenWasRotatedThenFamilyIsRevoked() {
    var first = server.login().text("refresh_token");
    var second = server.http.postForm(TOKEN_PATH, refreshForm(first)).text("refresh_token");
    clock.advance(ServerConfig.defaults().refreshGraceWindow().plusSeconds(1));

    assertError(server.http.postForm(TOKEN_PATH, refreshForm(first)), "invalid_grant", "Refresh token is invalid.");
    assertError(server.http.postForm(TOKEN_PATH, refreshForm(second)), "invalid_grant", "Refresh token is invalid.");
  }

  @Test
  void refreshWithUnknownTokenIsInvalidGrant() {
    assertError(server.http.postForm(TOKEN_PATH, refreshForm("not-a-token")), "invalid_grant",
        "Refresh token is invalid.");
  }

  @Test
  void refreshAfterExpiryIsRefusedAsExpired() {
    var token = server.login().text("refresh_token");
    clock.advance(ServerConfig.AccountDefaults.standard().refreshTokenLifetime().plusSeconds(1));

    assertError(server.http.postForm(TOKEN_PATH, refreshForm(token)), "invalid_grant", "Refresh token is expired.");
  }

  @Test
  void refreshMayNarrowTheScope() {
    var token = server.login().text("refresh_token");

    var answer = server.http.postForm(TOKEN_PATH, with(refreshForm(token), "scope", "meshy.api"));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.text("scope")).isEqualTo("meshy.api");
    assertThat(answer.json().has("refresh_token")).isFalse();
  }

  @Test
  void refreshMayNotWidenTheScope() {
    var token = server.login().text("refresh_token");

    assertError(server.http.postForm(TOKEN_PATH, with(refreshForm(token), "scope", "meshy.api offline_access openid")),
        "invalid_scope", "Invalid scope.");
  }

  @Test
  void refreshForAnotherClientIsInvalidGrant() {
    var token = server.login().text("refresh_token");
    server.server.provisioning().createAccount("other", "other-key");

    assertError(server.http.postForm("/other/connect/token", with(refreshForm(token), "client_id", "other-key")),
        "invalid_grant", "Refresh token is invalid.");
  }

  @Test
  void refreshOfDeactivatedUserIsRefused() {
    var token = server.login().text("refresh_token");
    server.server.provisioning().setActive(ACCOUNT, USERNAME, false);

    assertError(server.http.postForm(TOKEN_PATH, refreshForm(token)), "invalid_grant", "User is no longer active.");
  }

  @Test
  void refreshTokenIsStoredOnlyAsHash() {
    var token = server.login().text("refresh_token");

    assertThat(server.server.stores().refreshTokens().findRefreshToken(token)).isEmpty();
  }
}
