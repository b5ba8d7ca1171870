package io.meshyauth.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import io.meshyauth.server.TestCertificates;
import io.meshyauth.server.TestCertificates.KeyFormat;
import io.meshyauth.server.store.jdbc.JdbcStores;
import io.meshyauth.server.testing.CapturedLog;
import io.meshyauth.server.values.Scope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PostgreSQL connection as an operator configures one: a user and password from settings rather than the URL,
 * password authentication (SCRAM), TLS through the driver's {@code sslmode} in the URL, and a pool of a set size.
 */
class PostgresConnectionTest {
  private static final String PASSWORD = "right-password-8c2f";
  private static RestartablePostgres postgres;
  private static Path certificate;

  @TempDir
  static Path directory;

  @BeforeAll
  static void aDatabaseWithPasswordsAndTls() throws Exception {
    postgres = RestartablePostgres.start(Map.of());
    var data = postgres.dataDirectory();
    // the server reads its key only if it belongs to the user it runs as, and nobody else may read it
    var pem = TestCertificates.write(directory, "EC", KeyFormat.PKCS8);
    certificate = pem.certificate();
    var serverCertificate = Files.copy(pem.certificate(), data.resolve("server.crt"));
    var serverKey = Files.copy(pem.privateKey(), data.resolve("server.key"));
    for (var file : new Path[] {serverCertificate, serverKey}) {
      Files.setOwner(file, Files.getOwner(data));
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
    // the superuser keeps its trusted local access; every other user logs in with a password
    Files.writeString(data.resolve("pg_hba.conf"), """
        host all postgres 127.0.0.1/32 trust
        host all postgres ::1/128 trust
        host all all 127.0.0.1/32 scram-sha-256
        host all all ::1/128 scram-sha-256
        """);
    try (var connection = DriverManager.getConnection(superuser("postgres"));
        var statement = connection.createStatement()) {
      statement.execute("CREATE ROLE meshy LOGIN PASSWORD '" + PASSWORD + "'");
      for (var database : new String[] {"credentials", "wrong", "tls", "untrusted", "pool", "url"}) {
        statement.execute("CREATE DATABASE " + database + " OWNER meshy");
      }
      statement.execute("ALTER SYSTEM SET ssl = on");
      statement.execute("ALTER SYSTEM SET ssl_cert_file = '" + serverCertificate + "'");
      statement.execute("ALTER SYSTEM SET ssl_key_file = '" + serverKey + "'");
      statement.execute("SELECT pg_reload_conf()");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    postgres.close();
  }

  private static String superuser(String database) {
    return "jdbc:postgresql://localhost:" + postgres.port() + "/" + database + "?user=postgres";
  }

  private static String url(String database) {
    return "jdbc:postgresql://localhost:" + postgres.port() + "/" + database;
  }

  /** A connect timeout long enough for a first TLS handshake on a busy machine. */
  private static StoreOptions credentials(String password) {
    return StoreOptions.defaults().withCredentials("meshy", password).withConnectTimeout(Duration.ofSeconds(20));
  }

  private static Optional<Path> keyFile(String database) {
    return Optional.of(directory.resolve(database + ".key"));
  }

  @Test
  void theUserAndPasswordSettingsLogInWithNoPasswordInTheUrl() {
    try (var stores = JdbcStores.open(url("credentials"), credentials(PASSWORD), keyFile("credentials"))) {
      stores.accounts().createAccount(account());

      assertThat(stores.accounts().findAccount("acme")).isPresent();
    }
  }

  @Test
  void aWrongPasswordIsRefusedAndTheErrorDoesNotRepeatIt() {
    assertThatThrownBy(() -> JdbcStores.open(url("wrong"), credentials("wrong-password-41"), keyFile("wrong")))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("password authentication failed for user \"meshy\"")
        .satisfies(e -> assertThat(messages(e)).doesNotContain("wrong-password-41"));
  }

  @Test
  void sslmodeVerifyFullConnectsOverTlsToAServerWhoseCertificateItTrusts() throws Exception {
    var tls = url("tls") + "?sslmode=verify-full&sslrootcert=" + certificate;
    try (var stores = JdbcStores.open(tls, credentials(PASSWORD), keyFile("tls"))) {
      stores.accounts().createAccount(account());

      try (var connection = DriverManager.getConnection(superuser("postgres"));
          var statement = connection.createStatement();
          var rows = statement.executeQuery("SELECT s.ssl, s.version FROM pg_stat_ssl s JOIN pg_stat_activity a "
              + "USING (pid) WHERE a.datname = 'tls' AND a.usename = 'meshy'")) {
        var connections = 0;
        while (rows.next()) {
          connections++;
          assertThat(rows.getBoolean("ssl")).isTrue();
          assertThat(rows.getString("version")).startsWith("TLSv1.");
        }
        assertThat(connections).isPositive();
      }
    }
  }

  @Test
  void sslmodeVerifyFullRefusesAServerWhoseCertificateItDoesNotTrust() throws Exception {
    var other = TestCertificates.write(Files.createDirectories(directory.resolve("other")), "EC", KeyFormat.PKCS8);
    var tls = url("untrusted") + "?sslmode=verify-full&sslrootcert=" + other.certificate();

    assertThatThrownBy(() -> JdbcStores.open(tls, credentials(PASSWORD), keyFile("untrusted")))
        .isInstanceOf(StoreException.class);
  }

  @Test
  void poolSizeBoundsTheConnectionsANodeOpens() throws Exception {
    var options = new StoreOptions(Optional.of("meshy"), Optional.of(PASSWORD), Duration.ofSeconds(5),
        StoreOptions.DEFAULT_SOCKET_TIMEOUT, 3);
    try (var stores = JdbcStores.open(url("pool"), options, keyFile("pool"))) {
      stores.accounts().createAccount(account());
      var pool = Executors.newFixedThreadPool(32);
      try {
        var reads = new ArrayList<Callable<Boolean>>();
        for (int i = 0; i < 320; i++) {
          reads.add(() -> stores.accounts().findAccount("acme").isPresent());
        }
        for (var read : pool.invokeAll(reads)) {
          assertThat(read.get()).isTrue();
        }
      } finally {
        pool.shutdownNow();
      }

      assertThat(connectionsTo("pool")).isBetween(1, 3);
    }
  }

  @Test
  void aPasswordInTheUrlStillWorksButIsWarnedAboutWithoutShowingIt() {
    var log = CapturedLog.of(Level.ALL, "io.meshyauth");
    try (log; var stores = JdbcStores.open(url("url") + "?user=meshy&password=" + PASSWORD,
        StoreOptions.defaults(), keyFile("url"))) {
      stores.accounts().createAccount(account());
    }

    assertThat(log.events()).anySatisfy(event -> assertThat(event.getFormattedMessage())
        .startsWith("the store URL carries a password").contains("store.password"));
    assertThat(log.events()).allSatisfy(event -> assertThat(event.getFormattedMessage()).doesNotContain(PASSWORD));
  }

  private static int connectionsTo(String database) throws SQLException {
    try (var connection = DriverManager.getConnection(superuser("postgres"));
        var statement = connection.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE datname = ?")) {
      statement.setString(1, database);
      try (var rows = statement.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }

  private static String messages(Throwable e) {
    var all = new StringBuilder();
    for (var cause = e; cause != null; cause = cause.getCause()) {
      all.append(cause.getMessage()).append('\n');
    }
    return all.toString();
  }

  private static Account account() {
    return new Account("acme", Set.of("web"), Scope.parse("meshy.api"), Duration.ofHours(1), Duration.ofDays(1), 60);
  }
}
