package io.meshyauth.client;

import static io.meshyauth.client.TestServer.PASSWORD;
import static io.meshyauth.client.TestServer.USERNAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MeshyConnectionTest {
  private static final String REFRESH_GRANT = "refresh_token";

  private TestServer server;
  private final RecordingInterceptor recorder = new RecordingInterceptor();
  private final MutableClock clock = new MutableClock(Instant.now());

  @BeforeEach
  void startServer() {
    server = TestServer.start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void accessTokenIsReusedWhileExpiryIsBeyondTheRefreshSkew() {
    var connection = login(server.client());
    var first = connection.accessToken();

    clock.set(connection.accessTokenExpiresAt().minusSeconds(61));

    assertThat(connection.accessToken()).isEqualTo(first);
    assertThat(recorder.withGrantType(REFRESH_GRANT)).isEmpty();
  }

  @Test
  void accessTokenRefreshesWhenExpiryIsWithinTheDefaultSkewOfSixtySeconds() {
    var connection = login(server.client());
    var first = connection.accessToken();
    var firstRefreshToken = connection.refreshToken().orElseThrow();

    clock.set(connection.accessTokenExpiresAt().minusSeconds(59));

    assertThat(connection.accessToken()).isNotEqualTo(first);
    assertThat(connection.refreshToken()).hasValueSatisfying(t -> assertThat(t).isNotEqualTo(firstRefreshToken));
    assertThat(connection.accessTokenExpiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
    assertThat(recorder.withGrantType(REFRESH_GRANT)).singleElement()
        .satisfies(e -> assertThat(e.form()).containsEntry("refresh_token", firstRefreshToken));
  }

  @Test
  void refreshSkewDecidesHowEarlyTheAccessTokenIsRefreshed() {
    var connection = login(server.client().refreshSkew(Duration.ofMinutes(10)));
    var first = connection.accessToken();

    clock.set(connection.accessTokenExpiresAt().minus(Duration.ofMinutes(9)));

    assertThat(connection.accessToken()).isNotEqualTo(first);
  }

  @Test
  void concurrentCallersNeedingARefreshShareOneRefresh() throws Exception {
    var connection = login(server.client());
    var stale = connection.accessToken();
    clock.set(connection.accessTokenExpiresAt());
    int callers = 16;
    var start = new CountDownLatch(1);
    var pool = Executors.newFixedThreadPool(callers);
    var tokens = new HashSet<String>();
    try {
      var futures = new ArrayList<Future<String>>();
      Callable<String> caller = () -> {
        start.await();
        return connection.accessToken();
      };
      for (int i = 0; i < callers; i++) {
        futures.add(pool.submit(caller));
      }
      start.countDown();
      for (var future : futures) {
        tokens.add(future.get(30, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(tokens).hasSize(1).doesNotContain(stale);
    assertThat(recorder.withGrantType(REFRESH_GRANT)).hasSize(1);
    // a second use of the old refresh token would have revoked the whole login
    connection.refresh();
  }

  @Test
  void refreshRotatesTheRefreshTokenAndSpendsTheOldOne() {
    var connection = login(server.client());
    var old = connection.refreshToken().orElseThrow();

    connection.refresh();

    assertThat(connection.refreshToken()).hasValueSatisfying(t -> assertThat(t).isNotEqualTo(old));
    var e = catchThrowableOfType(OAuthErrorException.class, () -> server.client().build().loginWithRefresh(old));
    assertThat(e.error()).isEqualTo("invalid_grant");
  }

  @Test
  void signOutRevokesTheRefreshToken() {
    var connection = login(server.client());
    var refreshToken = connection.refreshToken().orElseThrow();

    connection.signOut();

    var e = catchThrowableOfType(OAuthErrorException.class,
        () -> server.client().build().loginWithRefresh(refreshToken));
    assertThat(e.error()).isEqualTo("invalid_grant");
  }

  @Test
  void accessTokenAfterSignOutThrowsIllegalState() {
    var connection = login(server.client());

    connection.signOut();

    assertThatThrownBy(connection::accessToken).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(connection::refresh).isInstanceOf(IllegalStateException.class);
  }

  private MeshyConnection login(MeshyClient.Builder builder) {
    var connection = builder.clock(clock).okHttpClient(recorder.httpClient()).build()
        .loginWithPassword(USERNAME, PASSWORD);
    recorder.clear();
    return connection;
  }
}
