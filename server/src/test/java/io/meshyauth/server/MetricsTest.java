package io.meshyauth.server;

import static io.meshyauth.server.TestServer.TOKEN_PATH;
import static io.meshyauth.server.TestServer.passwordForm;
import static io.meshyauth.server.TestServer.refreshForm;
import static io.meshyauth.server.TestServer.with;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.meshyauth.server.limit.LoginThrottle.Budgets;
import io.meshyauth.server.password.Argon2PasswordHasher.Argon2Parameters;
import io.meshyauth.server.testing.CapturedLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics} scraped after real traffic: each counter moves by exactly what the traffic did. */
class MetricsTest {
  private static final String REQUESTS = "meshy_token_requests_seconds_count";
  private TestServer server;

  @AfterEach
  void stop() {
    server.close();
  }

  private static TestServer startWithBudgetOfThreeAndNoGraceWindow() {
    return TestServer.start(StoreKind.SQLITE, config -> config
        .withRefreshGraceWindow(Duration.ZERO)
        .withFailedLogins(new Budgets(3, 100, 100, Duration.ofMinutes(15))));
  }

  @Test
  void loginsRefreshesAReuseAndA429MoveTheirCountersByExactlyOneEach() {
    server = startWithBudgetOfThreeAndNoGraceWindow();
    var url = server.server.metricsUrl();
    var before = Scrape.of(url);

    var login = server.login();
    assertThat(login.status()).isEqualTo(200);
    for (int i = 0; i < 3; i++) {
      assertThat(server.http.postForm(TOKEN_PATH, with(passwordForm(), "password", "guess-" + i)).status())
          .isEqualTo(400);
    }
    assertThat(server.http.postForm(TOKEN_PATH, with(passwordForm(), "password", "guess-3")).status())
        .isEqualTo(429);
    assertThat(server.http.postForm(TOKEN_PATH, refreshForm(login.text("refresh_token"))).status()).isEqualTo(200);
    // the rotated token again, with no grace window: a replay, and its family is revoked
    assertThat(server.http.postForm(TOKEN_PATH, refreshForm(login.text("refresh_token"))).status()).isEqualTo(400);
    var after = Scrape.awaiting(url, scrape -> scrape.total(REQUESTS) - before.total(REQUESTS) >= 7);

    assertThat(delta(before, after, REQUESTS, "grant", "password", "outcome", "ok")).isEqualTo(1);
    assertThat(delta(before, after, REQUESTS, "grant", "password", "outcome", "invalid_grant")).isEqualTo(3);
    assertThat(delta(before, after, REQUESTS, "grant", "password", "outcome", "too_many_requests")).isEqualTo(1);
    assertThat(delta(before, after, REQUESTS, "grant", "refresh_token", "outcome", "ok")).isEqualTo(1);
    assertThat(delta(before, after, REQUESTS, "grant", "refresh_token", "outcome", "invalid_grant")).isEqualTo(1);
    assertThat(after.total(REQUESTS) - before.total(REQUESTS)).isEqualTo(7);
    // every answer falls in the histogram's last bucket
    assertThat(after.value("meshy_token_requests_seconds_bucket", "grant", "password", "outcome", "invalid_grant",
        "le", "+Inf")).isEqualTo(3);

    assertThat(delta(before, after, "meshy_logins_total", "result", "ok")).isEqualTo(1);
    assertThat(delta(before, after, "meshy_logins_total", "result", "invalid_credentials")).isEqualTo(3);
    assertThat(delta(before, after, "meshy_logins_total", "result", "user_inactive")).isZero();
    assertThat(delta(before, after, "meshy_rate_limited_total", "budget", "failed-logins-per-username-and-ip"))
        .isEqualTo(1);
    assertThat(delta(before, after, "meshy_refresh_token_reuse_total")).isEqualTo(1);
    // four passwords were checked; the refused guess never reached the hasher
    assertThat(delta(before, after, "meshy_password_hashing_wait_seconds_count")).isEqualTo(4);
    assertThat(after.value("meshy_password_hashing_queue")).isZero();
    assertThat(after.value("meshy_password_hashing_refused_total")).isZero();
  }

  @Test
  void theScrapeIsPrometheusTextWithTheStorePoolTheJvmAndTheProcess() {
    server = TestServer.start(StoreKind.SQLITE);
    server.login();

    var scrape = Scrape.of(server.server.metricsUrl());

    assertThat(scrape.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    assertThat(scrape.value("hikaricp_connections_max", "pool", "meshy-auth-store")).isEqualTo(4);
    assertThat(scrape.has("hikaricp_connections_active", "pool", "meshy-auth-store")).isTrue();
    assertThat(scrape.has("hikaricp_connections_acquire_seconds_count", "pool", "meshy-auth-store")).isTrue();
    assertThat(scrape.value("meshy_store_group_commits_total")).isPositive();
    assertThat(scrape.has("meshy_store_write_queue")).isTrue();
    assertThat(scrape.total("jvm_memory_used_bytes")).isPositive();
    assertThat(scrape.value("jvm_threads_live_threads")).isPositive();
    assertThat(scrape.value("process_uptime_seconds")).isPositive();
    assertThat(scrape.value("process_files_open_files")).isPositive();
    assertThat(scrape.has("process_cpu_usage")).isTrue();
    assertThat(scrape.has("jvm_classes_loaded_classes")).isTrue();
  }

  @Test
  void everyMetricTheServerExportsIsInTheReadmeTable() throws Exception {
    server = startWithBudgetOfThreeAndNoGraceWindow();
    // traffic that registers the meters made on first use
    var login = server.login();
    for (int i = 0; i < 4; i++) {
      server.http.postForm(TOKEN_PATH, with(passwordForm(), "password", "guess-" + i));
    }
    server.http.postForm(TOKEN_PATH, refreshForm(login.text("refresh_token")));
    server.server.provisioning().rotateSigningKey(TestServer.ACCOUNT);
    var readme = Files.readString(Path.of("..", "README.md"));
    var section = readme.substring(readme.indexOf("### Metrics"), readme.indexOf("\n## ", readme.indexOf("### Metrics")));

    var scrape = Scrape.awaiting(server.server.metricsUrl(), s -> s.families().contains("meshy_token_requests_seconds"));

    assertThat(scrape.families()).contains("meshy_rate_limited_total", "meshy_signing_key_rotations_total");
    assertThat(scrape.families()).allSatisfy(family -> assertThat(section).contains("`" + family + "`"));
  }

  @Test
  void theHashingQueueGaugeSeesLoginsWaitAndEvery503IsCountedAsRefused() throws Exception {
    // one slow hash at a time, two waiting: a burst of twenty fills the queue and overflows it
    server = TestServer.start(StoreKind.SQLITE, config -> config
        .withArgon2(new Argon2Parameters(64 * 1024, 2, 1, 1, 2))
        .withFailedLogins(new Budgets(1000, 1000, 1000, Duration.ofMinutes(15))));
    var url = server.server.metricsUrl();
    var before = Scrape.of(url);
    var sawWaiting = new AtomicBoolean();
    var done = new AtomicBoolean();
    var watcher = CompletableFuture.runAsync(() -> {
      while (!done.get() && !sawWaiting.get()) {
        sawWaiting.set(Scrape.of(url).value("meshy_password_hashing_queue") > 0);
      }
    });

    var burst = Burst.of(20, i -> server.http.postForm(TOKEN_PATH, with(passwordForm(), "password", "guess-" + i)));
    done.set(true);
    watcher.get();

    long refused = Burst.count(burst, 503);
    long checked = Burst.count(burst, 400);
    assertThat(refused).isPositive();
    assertThat(sawWaiting).as("the queue gauge counted a login waiting for its hash").isTrue();
    var after = Scrape.of(url);
    assertThat(delta(before, after, "meshy_password_hashing_refused_total")).isEqualTo(refused);
    assertThat(delta(before, after, "meshy_password_hashing_wait_seconds_count")).isEqualTo(checked);
    assertThat(after.value("meshy_password_hashing_queue")).isZero();
    assertThat(after.value("meshy_password_hashing_active")).isZero();
  }

  @Test
  void scrapesStayOutOfTheRequestLogAndCountAgainstNoLimit() {
    var captured = CapturedLog.of(Level.INFO, "io.meshyauth.request");
    try (captured) {
      // a budget of one failed login from this address, spent
      server = TestServer.start(StoreKind.SQLITE, config -> config
          .withFailedLogins(new Budgets(1, 1, 1, Duration.ofMinutes(15))));
      server.http.postForm(TOKEN_PATH, with(passwordForm(), "password", "guess"));
      assertThat(server.http.postForm(TOKEN_PATH, with(passwordForm(), "password", "guess")).status())
          .isEqualTo(429);
      for (int i = 0; i < 5; i++) {
        Scrape.of(server.server.metricsUrl());
      }
      server.close();
    }

    assertThat(captured.events()).extracting(MetricsTest::path).containsExactly(TOKEN_PATH, TOKEN_PATH);
  }

  private static Object path(ILoggingEvent event) {
    return event.getKeyValuePairs().stream().filter(pair -> pair.key.equals("path")).findFirst()
        .map(pair -> pair.value).orElse(null);
  }

  private static double delta(Scrape before, Scrape after, String name, String... labels) {
    return after.value(name, labels) - before.value(name, labels);
  }

}
