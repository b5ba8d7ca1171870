package io.meshyauth.server;

import static io.meshyauth.server.TestServer.TOKEN_PATH;
import static io.meshyauth.server.TestServer.refreshForm;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshyauth.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One refresh token presented by 32 requests at once, as an app without coordinated refreshes does
 * (RFC 9700 section 4.14.2 rotation, with and without the grace window).
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(StoreKind.class)
class RotationConcurrencyTest {
  private static final int REQUESTS = 32;
  private static final Duration GRACE = Duration.ofSeconds(5);

  private final StoreKind store;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T12:00:00Z"));
  private TestServer server;

  RotationConcurrencyTest(StoreKind store) {
    this.store = store;
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void withoutGraceWindowExactlyOneConcurrentRefreshWins() throws Exception {
    server = TestServer.start(store, config -> config.withClock(clock).withRefreshGraceWindow(Duration.ZERO));
    var token = server.login().text("refresh_token");

    var answers = refreshConcurrently(token);

    assertThat(answers).filteredOn(a -> a.status() == 200).hasSize(1);
    assertThat(answers).filteredOn(a -> a.status() == 400)
        .hasSize(REQUESTS - 1)
        .allSatisfy(a -> assertThat(a.text("error")).isEqualTo("invalid_grant"));
    // the losers replayed a spent token: the winner's successor is revoked with its family
    var winner = answers.stream().filter(a -> a.status() == 200).findFirst().orElseThrow();
    assertThat(server.http.postForm(TOKEN_PATH, refreshForm(winner.text("refresh_token"))).status()).isEqualTo(400);
  }

  @Test
  void withinTheGraceWindowEveryConcurrentRefreshSucceeds() throws Exception {
    server = TestServer.start(store, config -> config.withClock(clock).withRefreshGraceWindow(GRACE));
    var token = server.login().text("refresh_token");

    var answers = refreshConcurrently(token);

    assertThat(answers).allSatisfy(a -> assertThat(a.status()).isEqualTo(200));
    assertThat(answers.stream().map(a -> a.text("refresh_token")).distinct()).hasSize(REQUESTS);
    // each successor works: the app may keep whichever answer it saw last
    assertThat(server.http.postForm(TOKEN_PATH, refreshForm(answers.get(7).text("refresh_token"))).status())
        .isEqualTo(200);
  }

  @Test
  void replayAfterTheGraceWindowRevokesTheWholeFamily() throws Exception {
    server = TestServer.start(store, config -> config.withClock(clock).withRefreshGraceWindow(GRACE));
    var first = server.login().text("refresh_token");
    var second = server.http.postForm(TOKEN_PATH, refreshForm(first)).text("refresh_token");
    var sibling = server.http.postForm(TOKEN_PATH, refreshForm(first)).text("refresh_token");
    clock.advance(GRACE.plusSeconds(1));

    var replay = server.http.postForm(TOKEN_PATH, refreshForm(first));

    assertThat(replay.status()).isEqualTo(400);
    for (var token : List.of(first, second, sibling)) {
      assertThat(server.http.postForm(TOKEN_PATH, refreshForm(token)).text("error")).isEqualTo("invalid_grant");
    }
  }

  private List<SpecCheckedHttp.Answer> refreshConcurrently(String token) throws Exception {
    var start = new CountDownLatch(1);
    var pool = Executors.newFixedThreadPool(REQUESTS);
    try {
      var futures = new ArrayList<Future<SpecCheckedHttp.Answer>>();
      for (int i = 0; i < REQUESTS; i++) {
        futures.add(pool.submit(() -> {
          start.await();
          return server.http.postForm(TOKEN_PATH, refreshForm(token));
        }));
      }
      start.countDown();
      var answers = new ArrayList<SpecCheckedHttp.Answer>();
      for (var future : futures) {
        answers.add(future.get());
      }
      return answers;
    } finally {
      pool.shutdownNow();
    }
  }
}
