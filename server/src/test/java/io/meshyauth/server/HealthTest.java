package io.meshyauth.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.meshyauth.server.store.PostgresBackend;
import io.meshyauth.server.store.jdbc.JdbcStores;
import io.meshyauth.server.testing.CapturedLog;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What load balancers and orchestrators probe, every second: liveness and readiness. */
class HealthTest {
  private static final String LIVE = "/health/live";
  private static final String READY = "/health/ready";

  private CapturedLog requestLog;

  @TempDir
  Path directory;

  @BeforeEach
  void captureTheRequestLog() {
    requestLog = CapturedLog.of(Level.INFO, "io.meshyauth.request");
  }

  @AfterEach
  void release() {
    requestLog.close();
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void liveAndReadyAnswerOkWhenTheStoreAnswersAndRecordsTheServersKey(StoreKind store) {
    try (var server = TestServer.start(store)) {
      var live = server.http.get(LIVE);
      var ready = server.http.get(READY);

      assertThat(live.status()).isEqualTo(200);
      assertThat(live.text("status")).isEqualTo("ok");
      assertThat(ready.status()).isEqualTo(200);
      assertThat(ready.json().toString()).isEqualTo("{\"status\":\"ok\",\"checks\":{\"store\":\"ok\",\"signing_keys\":\"ok\"}}");
      assertThat(ready.header("Cache-Control")).isEqualTo("no-store");
    }
  }

  @Test
  void probesThatFoundAllWellStayOutOfTheRequestLogButAFailedOneIsLogged() throws InterruptedException {
    try (var server = TestServer.start(StoreKind.SQLITE)) {
      for (int i = 0; i < 3; i++) {
        server.http.get(LIVE);
        server.http.get(READY);
      }
      server.login();
      server.server.stores().close();
      server.http.get(READY);

      // the line is written once the answer is sent: wait for the last one
      var deadline = Instant.now().plusSeconds(10);
      while (loggedRequests().size() < 2 && Instant.now().isBefore(deadline)) {
        Thread.sleep(10);
      }
      assertThat(loggedRequests())
          .containsExactly(TestServer.TOKEN_PATH + " 200", READY + " 503");
    }
  }

  @Test
  void readyIs503AndLiveStays200WhenTheStoreIsClosedAlsoForHead() {
    try (var server = TestServer.start(StoreKind.SQLITE)) {
      server.server.stores().close();

      var ready = server.http.get(READY);
      assertThat(ready.status()).isEqualTo(503);
      assertThat(ready.text("status")).isEqualTo("unavailable");
      assertThat(ready.text("reason")).isEqualTo("The store failed the readiness query.");
      assertThat(ready.json().get("checks").toString()).isEqualTo("{\"store\":\"unavailable\",\"signing_keys\":\"unknown\"}");
      assertThat(server.http.get(LIVE).status()).isEqualTo(200);
      // HEAD runs the checks too (Javalin alone would answer 200 without running the route)
      var raw = new RawHttp(server.server.baseUrl());
      assertThat(raw.send("HEAD", READY).status()).isEqualTo(503);
      assertThat(raw.send("HEAD", LIVE).status()).isEqualTo(200);
    }
  }

  @Test
  void readyIs503WhilePostgresqlRefusesConnectionsAnd200OnceItAcceptsThemAgain() throws Exception {
    var postgres = PostgresBackend.shared();
    var database = postgres.newDatabase();
    try (var server = TestServer.start(database.open(), UnaryOperator.identity())) {
      assertThat(server.http.get(READY).status()).isEqualTo(200);

      postgres.acceptConnections(database, false);
      try {
        var down = server.http.get(READY);
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.json().get("checks").get("store").asText()).isEqualTo("unavailable");
        assertThat(server.http.get(LIVE).status()).isEqualTo(200);
      } finally {
        postgres.acceptConnections(database, true);
      }

      assertThat(readyWithin(server, Duration.ofSeconds(90))).isEqualTo(200);
      assertThat(server.login().status()).isEqualTo(200);
    }
  }

  @Test
  void probesInFlightTogetherWaitForOneStoreQuery() throws Exception {
    var database = PostgresBackend.shared().newDatabase();
    try (var server = TestServer.start(database.open(), UnaryOperator.identity());
        var locker = DriverManager.getConnection(database.jdbcUrl());
        var observer = DriverManager.getConnection(database.jdbcUrl())) {
      // a store that does not answer: another transaction holds the table the probe reads
      locker.setAutoCommit(false);
      try (var lock = locker.createStatement()) {
        lock.execute("LOCK TABLE key_encryption_key IN ACCESS EXCLUSIVE MODE");
      }
      var pool = Executors.newFixedThreadPool(32);
      try {
        var answers = new ArrayList<Future<Integer>>();
        for (int i = 0; i < 32; i++) {
          answers.add(pool.submit(() -> server.http.get(READY).status()));
        }
        int mostAtOnce = 0;
        while (!answers.stream().allMatch(Future::isDone)) {
          mostAtOnce = Math.max(mostAtOnce, probeQueriesWaiting(observer));
          Thread.sleep(10);
        }
        for (var answer : answers) {
          assertThat(answer.get()).isEqualTo(503);
        }
        assertThat(mostAtOnce).as("probe queries waiting at the store at once").isEqualTo(1);
      } finally {
        pool.shutdownNow();
        locker.rollback();
      }
      assertThat(readyWithin(server, Duration.ofSeconds(30))).isEqualTo(200);
    }
  }

  private static int probeQueriesWaiting(Connection observer) throws SQLException {
    try (var statement = observer.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE datname = "
        + "current_database() AND wait_event_type = 'Lock' AND query LIKE 'SELECT thumbprint FROM key_encryption_key%'");
        var rows = statement.executeQuery()) {
      rows.next();
      return rows.getInt(1);
    }
  }

  @Test
  void readyIs503WhileTheStoreRecordsAnotherKeyEncryptionKey() throws Exception {
    var file = directory.resolve("meshy-auth.db");
    try (var server = TestServer.start(JdbcStores.sqlite(file), UnaryOperator.identity());
        var sql = DriverManager.getConnection("jdbc:sqlite:" + file);
        var statement = sql.createStatement()) {
      String ours;
      try (var rows = statement.executeQuery("SELECT thumbprint FROM key_encryption_key WHERE id = 1")) {
        rows.next();
        ours = rows.getString(1);
      }
      statement.executeUpdate("UPDATE key_encryption_key SET thumbprint = 'another-nodes-key' WHERE id = 1");

      var ready = server.http.get(READY);
      assertThat(ready.status()).isEqualTo(503);
      assertThat(ready.json().get("checks").toString()).isEqualTo("{\"store\":\"ok\",\"signing_keys\":\"unavailable\"}");

      statement.executeUpdate("UPDATE key_encryption_key SET thumbprint = '" + ours + "' WHERE id = 1");
      assertThat(server.http.get(READY).status()).isEqualTo(200);
    }
  }

  /** Probes as a load balancer does, once a second, until one answers 200 or the time is up; the last status. */
  private static int readyWithin(TestServer server, Duration patience) throws InterruptedException {
    var deadline = Instant.now().plus(patience);
    int status;
    while ((status = server.http.get(READY).status()) != 200 && Instant.now().isBefore(deadline)) {
      Thread.sleep(1_000);
    }
    return status;
  }

  /** Path and status of each request line so far. */
  private List<String> loggedRequests() {
    return requestLog.events().stream().map(HealthTest::pathAndStatus).toList();
  }

  private static String pathAndStatus(ILoggingEvent event) {
    String path = null;
    Object status = null;
    for (var pair : event.getKeyValuePairs()) {
      if (pair.key.equals("path")) {
        path = String.valueOf(pair.value);
      } else if (pair.key.equals("status")) {
        status = pair.value;
      }
    }
    return path + " " + status;
  }
}
