package io.meshyauth.server.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.Map;

/**
 * An embedded PostgreSQL of a test's own, which the test may stop (as {@code pg_ctl stop -m fast} does, closing
 * every connection) and start again on the same port and data: an outage of the database as nodes see it. The
 * shared instance of {@link PostgresBackend} is never stopped, since other tests use it.
 */
public final class RestartablePostgres implements AutoCloseable {
  private final Path dataDirectory;
  private final Path keyDirectory;
  private final int port;
  private final Map<String, String> serverConfig;
  private EmbeddedPostgres running;

  private RestartablePostgres(Path dataDirectory, Path keyDirectory, int port, Map<String, String> serverConfig) {
    this.dataDirectory = dataDirectory;
    this.keyDirectory = keyDirectory;
    this.port = port;
    this.serverConfig = serverConfig;
  }

  /** Started, with {@code serverConfig} as postgresql.conf settings (synchronous commits on, as production). */
  public static RestartablePostgres start(Map<String, String> serverConfig) {
    try {
      var postgres = new RestartablePostgres(Files.createTempDirectory("meshy-auth-pg"),
          Files.createTempDirectory("meshy-auth-pg-keys"), freePort(), serverConfig);
      postgres.start();
      return postgres;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public synchronized void start() {
    if (running != null) {
      return;
    }
    try {
      var builder = EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false)
          .setPort(port).setServerConfig("synchronous_commit", "on");
      serverConfig.forEach(builder::setServerConfig);
      running = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
    }
  }

  /** A fast shutdown: connections are closed, transactions in flight roll back. */
  public synchronized void stop() {
    if (running == null) {
      return;
    }
    try {
      running.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      running = null;
    }
  }

  /** A fresh database in it, and a key file of its own; the URL stays valid across restarts. */
  public PostgresBackend.Database newDatabase(String name) {
    try (var connection = running.getPostgresDatabase().getConnection();
        var statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name, e);
    }
    return new PostgresBackend.Database(running.getJdbcUrl("postgres", name), keyDirectory.resolve(name + ".key"));
  }

  public int port() {
    return port;
  }

  /** The directory of the data, e.g. for TLS files the server reads from it. */
  public Path dataDirectory() {
    return dataDirectory;
  }

  @Override
  public void close() throws IOException {
    stop();
    for (var directory : new Path[] {dataDirectory, keyDirectory}) {
      try (var files = Files.walk(directory)) {
        files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
      }
    }
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
