package io.meshyauth.client;

import static io.meshyauth.client.TestServer.DEVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.meshyauth.server.Provisioning;
import io.meshyauth.server.store.Account;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RateLimitTest {
  private static final String TINY = "tiny";
  private static final String TINY_KEY = "tiny-key";

  private TestServer server;
  private final RecordingInterceptor recorder = new RecordingInterceptor();

  @BeforeEach
  void startServer() {
    server = TestServer.start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void loginOverTheLimitThrowsRateLimitedWithRetryAfterAndDoesNotRetry() {
    var client = tinyAccountClient(RetryPolicy.none());
    client.loginAnonymously(DEVICE);
    client.loginAnonymously(DEVICE);

    var e = catchThrowableOfType(RateLimitedException.class, () -> client.loginAnonymously(DEVICE));

    assertThat(e.status()).isEqualTo(429);
    // 2 requests a minute: the next one is allowed about 30 s later
    assertThat(e.retryAfter()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(30));
    assertThat(recorder.statuses()).containsExactly(200, 200, 429);
  }

  @Test
  void retryPolicyGivesUpAtOnceWhenRetryAfterExceedsTheWaitLeft() {
    var client = tinyAccountClient(RetryPolicy.onRateLimit(5, Duration.ofSeconds(10)));
    client.loginAnonymously(DEVICE);
    client.loginAnonymously(DEVICE);

    assertThatThrownBy(() -> client.loginAnonymously(DEVICE)).isInstanceOf(RateLimitedException.class);
    assertThat(recorder.statuses()).containsExactly(200, 200, 429);
  }

  @Test
  void retryPolicyStopsAfterMaxAttempts() {
    var client = tinyAccountClient(RetryPolicy.onRateLimit(1, Duration.ofMinutes(5)));
    client.loginAnonymously(DEVICE);
    client.loginAnonymously(DEVICE);

    assertThatThrownBy(() -> client.loginAnonymously(DEVICE)).isInstanceOf(RateLimitedException.class);
    assertThat(recorder.statuses()).containsExactly(200, 200, 429);
  }

  @Test
  void retryPolicyWaitsRetryAfterAndThenSucceeds() {
    // 60 a minute refills one request a second, so Retry-After is 1 s
    server.provisioning().createAccount(new Account("burst", Set.of("burst-key"), Provisioning.DEFAULT_SCOPES,
        Duration.ofHours(1), Duration.ofDays(1), 60));
    server.provisioning().createAnonymousUser("burst", DEVICE);
    exhaustLimit(server.client("burst", "burst-key").build());
    var client = server.client("burst", "burst-key").okHttpClient(recorder.httpClient())
        .retryPolicy(RetryPolicy.onRateLimit(3, Duration.ofSeconds(10))).build();

    // two logins in a row cannot both fit into a bucket that was just empty
    var first = client.loginAnonymously(DEVICE);
    var second = client.loginAnonymously(DEVICE);

    assertThat(first.accessToken()).isNotBlank();
    assertThat(second.accessToken()).isNotBlank();
    assertThat(recorder.statuses()).contains(429).filteredOn(status -> status == 200).hasSize(2);
  }

  @Test
  void retryPolicyRejectsNonsensicalBounds() {
    assertThatThrownBy(() -> RetryPolicy.onRateLimit(0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RetryPolicy.onRateLimit(3, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private MeshyClient tinyAccountClient(RetryPolicy policy) {
    server.provisioning().createAccount(new Account(TINY, Set.of(TINY_KEY), Provisioning.DEFAULT_SCOPES,
        Duration.ofSeconds(5), Duration.ofDays(1), 2));
    server.provisioning().createAnonymousUser(TINY, DEVICE);
    return server.client(TINY, TINY_KEY).okHttpClient(recorder.httpClient()).retryPolicy(policy).build();
  }

  /** Cheap requests (a refresh token that does not exist) until the server answers 429. */
  private static void exhaustLimit(MeshyClient client) {
    for (int i = 0; i < 1_000; i++) {
      try {
        client.loginWithRefresh("no-such-token");
      } catch (RateLimitedException e) {
        return;
      } catch (OAuthErrorException e) {
        // counted against the limit all the same
      }
    }
    throw new AssertionError("the limit was never reached");
  }
}
