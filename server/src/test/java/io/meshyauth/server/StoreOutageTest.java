package io.meshyauth.server;

import static io.meshyauth.server.TestServer.ACCOUNT;
import static io.meshyauth.server.TestServer.CLIENT_ID;
import static io.meshyauth.server.TestServer.PASSWORD;
import static io.meshyauth.server.TestServer.TOKEN_PATH;
import static io.meshyauth.server.TestServer.USERNAME;
import static io.meshyauth.server.TestServer.passwordForm;
import static io.meshyauth.server.TestServer.refreshForm;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.meshyauth.server.store.RestartablePostgres;
import io.meshyauth.server.store.StoreOptions;
import io.meshyauth.server.store.jdbc.JdbcStores;
import io.meshyauth.server.testing.CapturedLog;
import io.meshyauth.server.values.Password;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store goes away under load and comes back. Every answer meanwhile is a 503 with Retry-After, or what the
 * server can serve from memory (the discovery document and JWK set); none is a 500, and none takes so long that a
 * client giving up after a few seconds gives up; one log line says the store went, one that it came back; and the
 * server serves again by itself.
 */
class StoreOutageTest {
  private static final String DISCOVERY_PATH = "/" + ACCOUNT + "/.well-known/openid-configuration";
  private static final String JWKS_PATH = DISCOVERY_PATH + "/jwks";
  private static final String USERINFO_PATH = "/" + ACCOUNT + "/connect/userinfo";
  /** Four times the connect timeout: a request that waited for the pool as long as it used to (30 s) fails. */
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(8);

  private enum Phase { UP, DOWN, RESTARTED }

  private record Exchange(Phase phase, String path, int status, String retryAfter, String error) {
  }

  @TempDir
  Path directory;

  private CapturedLog log;

  @BeforeEach
  void captureTheServersLog() {
    log = CapturedLog.of(Level.INFO, "io.meshyauth", "com.zaxxer.hikari");
  }

  @AfterEach
  void release() {
    log.close();
  }

  @Test
  void whilePostgresqlIsDownEveryAnswerIsA503OrServedFromMemoryAndTheServerRecoversWhenItIsBack()
      throws Exception {
    try (var postgres = RestartablePostgres.start(Map.of())) {
      var database = postgres.newDatabase("outage");
      var options = StoreOptions.defaults();
      var config = ServerConfig.defaults().withPort(0).withArgon2(TestServer.FAST_ARGON2)
          .withShutdownGrace(Duration.ZERO).withStoreOptions(options)
          // a refresh whose commit the outage cut off may be retried after it: the grace window covers that
          .withRefreshGraceWindow(Duration.ofMinutes(5));
      try (var server = MeshyAuthServer.start(config,
          JdbcStores.open(database.jdbcUrl(), options, Optional.of(database.keyFile())))) {
        server.provisioning().createAccount(ACCOUNT, CLIENT_ID);
        server.provisioning().createUser(ACCOUNT, USERNAME, Password.of(PASSWORD));
        var http = new SpecCheckedHttp(server.baseUrl(), CLIENT_TIMEOUT);
        var login = http.postForm(TOKEN_PATH, passwordForm());
        assertThat(login.status()).isEqualTo(200);
        var accessToken = login.text("access_token");
        // served once, so the server has them to serve from memory
        assertThat(http.get(DISCOVERY_PATH).status()).isEqualTo(200);
        assertThat(http.get(JWKS_PATH).status()).isEqualTo(200);

        var phase = new AtomicReference<>(Phase.UP);
        var exchanges = new ConcurrentLinkedQueue<Exchange>();
        var failures = new ConcurrentLinkedQueue<Throwable>();
        var workers = Executors.newFixedThreadPool(8);
        try {
          // four clients follow their refresh chains; the others log in, read discovery and keys, and userinfo
          for (int i = 0; i < 4; i++) {
            var token = new AtomicReference<>(http.postForm(TOKEN_PATH, passwordForm()).text("refresh_token"));
            workers.submit(() -> loop(phase, failures, at -> {
              var answer = http.postForm(TOKEN_PATH, refreshForm(token.get()));
              if (answer.status() == 200) {
                token.set(answer.text("refresh_token"));
              }
              record(exchanges, at, "refresh", answer);
            }));
          }
          workers.submit(() -> loop(phase, failures, at -> record(exchanges, at, "login",
              http.postForm(TOKEN_PATH, passwordForm()))));
          workers.submit(() -> loop(phase, failures, at -> record(exchanges, at, "discovery",
              http.get(DISCOVERY_PATH))));
          workers.submit(() -> loop(phase, failures, at -> record(exchanges, at, "jwks", http.get(JWKS_PATH))));
          workers.submit(() -> loop(phase, failures, at -> record(exchanges, at, "userinfo",
              http.get(USERINFO_PATH, accessToken))));

          Thread.sleep(1_000);
          postgres.stop();
          phase.set(Phase.DOWN);
          Thread.sleep(4_000);
          postgres.start();
          phase.set(Phase.RESTARTED);
          // the refresh chains go on once the server has found the store again
          waitFor(() -> !failures.isEmpty() || exchanges.stream()
              .filter(e -> e.phase() == Phase.RESTARTED && e.path().equals("refresh") && e.status() == 200)
              .count() >= 8, Duration.ofSeconds(60));
        } finally {
          phase.set(null);
          workers.shutdown();
          assertThat(workers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(failures).as("requests that failed, timed out after %s, or broke the document", CLIENT_TIMEOUT)
            .isEmpty();
        assertThat(exchanges).allSatisfy(e -> assertThat(e.status()).as(e.toString()).isIn(200, 503));
        assertThat(exchanges).filteredOn(e -> e.status() == 503).isNotEmpty().allSatisfy(e -> {
          assertThat(e.error()).isEqualTo("temporarily_unavailable");
          assertThat(Integer.parseInt(e.retryAfter())).isPositive();
        });
        var down = exchanges.stream().filter(e -> e.phase() == Phase.DOWN).toList();
        assertThat(down).filteredOn(e -> List.of("discovery", "jwks").contains(e.path()))
            .as("served from memory").isNotEmpty().allSatisfy(e -> assertThat(e.status()).isEqualTo(200));
        assertThat(down).filteredOn(e -> List.of("refresh", "login", "userinfo").contains(e.path()))
            .as("nothing that needs the store succeeds without it").isNotEmpty()
            .allSatisfy(e -> assertThat(e.status()).isEqualTo(503));
        assertThat(exchanges).filteredOn(e -> e.phase() == Phase.RESTARTED && e.path().equals("login"))
            .anySatisfy(e -> assertThat(e.status()).isEqualTo(200));

        var outageLines = log.events().stream().filter(e -> e.getLoggerName().endsWith(".Availability"))
            .map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(outageLines).hasSize(2);
        assertThat(outageLines.get(0)).startsWith("the store is unreachable: ");
        assertThat(outageLines.get(1)).startsWith("the store is reachable again, after ");
        assertThat(log.events()).as("no stack trace per request").noneMatch(e -> e.getLoggerName().startsWith("io.meshyauth")
            && e.getThrowableProxy() != null);
      }
    }
  }

  /**
   * SQLite's outage is the file refusing writes: locked by another process beyond the busy timeout, or the disk
   * full. Here the file may not grow (SQLite's max_page_count), as on a full disk.
   */
  @Test
  void whenTheSqliteFileCannotGrowWritesAreAnswered503AndReadsGoOn() {
    var file = directory.resolve("full.db");
    try (var stores = JdbcStores.sqlite(file); var server = MeshyAuthServer.start(ServerConfig.defaults().withPort(0)
        .withArgon2(TestServer.FAST_ARGON2).withShutdownGrace(Duration.ZERO), stores)) {
      server.provisioning().createAccount(ACCOUNT, CLIENT_ID);
      server.provisioning().createUser(ACCOUNT, USERNAME, Password.of(PASSWORD));
    }
    var pages = new Properties();
    pages.setProperty("max_page_count", Long.toString(pageCount(file)));
    try (var server = MeshyAuthServer.start(ServerConfig.defaults().withPort(0).withArgon2(TestServer.FAST_ARGON2)
        .withShutdownGrace(Duration.ZERO), JdbcStores.open("jdbc:sqlite:" + file, pages, Optional.empty()))) {
      var http = new SpecCheckedHttp(server.baseUrl(), CLIENT_TIMEOUT);

      var statuses = new ArrayList<Integer>();
      for (int i = 0; i < 500 && !statuses.contains(503); i++) {
        var answer = http.postForm(TOKEN_PATH, passwordForm());
        statuses.add(answer.status());
        if (answer.status() == 503) {
          assertThat(answer.text("error")).isEqualTo("temporarily_unavailable");
          assertThat(answer.header("Retry-After")).isNotBlank();
        }
      }
      assertThat(statuses).as("logins until the file is full").containsOnly(200, 503).contains(503);
      for (int i = 0; i < 3; i++) {
        assertThat(http.postForm(TOKEN_PATH, passwordForm()).status()).isEqualTo(503);
        assertThat(http.get(DISCOVERY_PATH).status()).isEqualTo(200);
        assertThat(http.get(JWKS_PATH).status()).isEqualTo(200);
      }
      assertThat(log.events()).filteredOn(e -> e.getLoggerName().endsWith(".Availability"))
          .as("one line for the episode, not one per refused request").singleElement()
          .satisfies(e -> assertThat(e.getFormattedMessage()).startsWith("the store refuses work: "));
    }
  }

  private static long pageCount(Path file) {
    try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
        var statement = connection.createStatement(); var rows = statement.executeQuery("PRAGMA page_count")) {
      rows.next();
      return rows.getLong(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void record(ConcurrentLinkedQueue<Exchange> exchanges, Phase phase, String path,
      SpecCheckedHttp.Answer answer) {
    exchanges.add(new Exchange(phase, path, answer.status(), answer.header("Retry-After"),
        answer.status() == 200 ? null : answer.text("error")));
  }

  /**
   * Runs {@code step} with the phase it starts in until the phase is cleared; a failure (a timeout, an answer the
   * document does not allow) ends it.
   */
  private static void loop(AtomicReference<Phase> phase, ConcurrentLinkedQueue<Throwable> failures,
      java.util.function.Consumer<Phase> step) {
    try {
      for (var at = phase.get(); at != null; at = phase.get()) {
        step.accept(at);
      }
    } catch (Throwable e) {
      failures.add(e);
    }
  }

  private static void waitFor(java.util.function.BooleanSupplier condition, Duration atMost) throws InterruptedException {
    var deadline = System.nanoTime() + atMost.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited %s", atMost).isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}
