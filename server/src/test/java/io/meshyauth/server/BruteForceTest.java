package io.meshyauth.server;

import static io.meshyauth.server.TestServer.TOKEN_PATH;
import static io.meshyauth.server.TestServer.passwordForm;
import static io.meshyauth.server.TestServer.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshyauth.server.ServerConfig.LoginLimits;
import io.meshyauth.server.oauth.Password;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** RFC 6749 section 4.3.2: failed logins are limited per username and per client address. */
@ParameterizedClass(name = "on {0}")
@EnumSource(StoreKind.class)
class BruteForceTest {
  private final TestServer server;

  BruteForceTest(StoreKind store) {
    server = TestServer.start(store,
        config -> config.withLoginLimits(new LoginLimits(3, 6, Duration.ofMinutes(15))));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void afterTooManyFailuresForAUsernameEvenTheRightPasswordWaits() {
    for (int i = 0; i < 3; i++) {
      assertThat(server.http.postForm(TOKEN_PATH, with(passwordForm(), "password", "guess-" + i)).status())
          .isEqualTo(400);
    }

    var blocked = server.login();

    assertThat(blocked.status()).isEqualTo(429);
    assertThat(Long.parseLong(blocked.header("Retry-After"))).isBetween(1L, 15 * 60L);
    assertThat(blocked.text("error_description")).startsWith("Too many failed logins for this user.");
    assertThat(blocked.header("RateLimit-Policy")).isEqualTo("\"failed-logins-per-user\";q=3;w=900");
  }

  @Test
  void usernameLimitCountsTheNormalisedUsername() {
    for (var variant : new String[] {"ALICE", " alice", "Alice"}) {
      server.http.postForm(TOKEN_PATH, with(with(passwordForm(), "username", variant), "password", "wrong"));
    }

    assertThat(server.login().status()).isEqualTo(429);
  }

  @Test
  void successfulLoginsCostNothing() {
    for (int i = 0; i < 5; i++) {
      assertThat(server.login().status()).isEqualTo(200);
    }
  }

  @Test
  void failuresFromOneAddressAcrossUsernamesHitTheAddressLimit() {
    server.server.provisioning().createUser(TestServer.ACCOUNT, "bob", Password.of("bobs password"));
    for (int i = 0; i < 6; i++) {
      server.http.postForm(TOKEN_PATH, with(with(passwordForm(), "username", "user-" + i), "password", "x"));
    }

    var blocked = server.http.postForm(TOKEN_PATH,
        with(with(passwordForm(), "username", "bob"), "password", "bobs password"));

    assertThat(blocked.status()).isEqualTo(429);
    assertThat(blocked.text("error_description")).startsWith("Too many failed logins from this address.");
  }
}
