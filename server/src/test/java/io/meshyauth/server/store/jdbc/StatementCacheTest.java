package io.meshyauth.server.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SQLite's statements are compiled once per pooled connection, and a kept one leaks nothing into its next use. */
class StatementCacheTest {
  private static final String SELECT = "SELECT v FROM scratch WHERE k = ?";

  @TempDir
  Path directory;
  private Database database;

  @BeforeEach
  void openWithAScratchTable() {
    database = JdbcStores.database("jdbc:sqlite:" + file(), new Properties(), () -> { });
    database.write(connection -> {
      Dialect.execute(connection, "CREATE TABLE scratch (k TEXT PRIMARY KEY, v TEXT)");
      for (var key : new String[] {"a", "b", "c"}) {
        Dialect.execute(connection, "INSERT INTO scratch VALUES ('" + key + "', 'value of " + key + "')");
      }
      return null;
    });
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void theSameSqlOnTheSameConnectionIsCompiledOnce() {
    database.read(connection -> {
      var first = underlying(connection, SELECT);
      var second = underlying(connection, SELECT);
      assertThat(second).isSameAs(first);
      assertThat(database.cachedStatements(connection)).isPositive();
      return null;
    });
  }

  @Test
  void aStatementStillInUseIsNotSharedAndBothWork() {
    database.read(connection -> {
      try (var outer = connection.prepareStatement(SELECT); var inner = connection.prepareStatement(SELECT)) {
        assertThat(inner.unwrap(PreparedStatement.class)).isNotSameAs(outer.unwrap(PreparedStatement.class));
        outer.setString(1, "a");
        inner.setString(1, "b");
        try (var outerRows = outer.executeQuery(); var innerRows = inner.executeQuery()) {
          assertThat(outerRows.next()).isTrue();
          assertThat(innerRows.next()).isTrue();
          assertThat(outerRows.getString(1)).isEqualTo("value of a");
          assertThat(innerRows.getString(1)).isEqualTo("value of b");
        }
      }
      return null;
    });
  }

  @Test
  void aParameterOfOneUseIsNotSeenByTheNext() {
    database.read(connection -> {
      try (var statement = connection.prepareStatement("SELECT ?")) {
        statement.setString(1, "secret");
        try (var rows = statement.executeQuery()) {
          assertThat(rows.next()).isTrue();
        }
      }
      try (var statement = connection.prepareStatement("SELECT ?"); var rows = statement.executeQuery()) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString(1)).isNull();
      }
      return null;
    });
  }

  @Test
  void closingAStatementWhoseRowsWereLeftOpenLeavesNoReaderForACheckpoint() throws Exception {
    database.read(connection -> {
      // valid JDBC: closing a statement closes its result set, here left open after one of three rows
      try (var statement = connection.prepareStatement("SELECT k FROM scratch ORDER BY k")) {
        var rows = statement.executeQuery();
        assertThat(rows.next()).isTrue();
      }
      return null;
    });
    database.write(connection -> {
      Dialect.execute(connection, "INSERT INTO scratch VALUES ('d', 'value of d')");
      return null;
    });
    assertThat(Files.size(Path.of(file() + "-wal"))).isPositive();

    try (var other = DriverManager.getConnection("jdbc:sqlite:" + file());
        var statement = other.createStatement();
        var result = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
      assertThat(result.next()).isTrue();
      assertThat(result.getInt(1)).as("busy: a reader or writer kept the checkpoint from finishing").isZero();
    }
    assertThat(Files.size(Path.of(file() + "-wal"))).isZero();
  }

  @Test
  void theStatementsOfConnectionsThePoolClosedAreDroppedOnceAReplacementIsUsed() throws Exception {
    database.read(connection -> underlying(connection, SELECT));
    var old = database.connectionsWithCachedStatements();
    assertThat(old).isNotEmpty();

    database.pool().getHikariPoolMXBean().softEvictConnections(); // as at the end of a connection's lifetime
    for (var connection : old) {
      for (int i = 0; i < 200 && !connection.isClosed(); i++) {
        Thread.sleep(50);
      }
      assertThat(connection.isClosed()).as("closed by the pool").isTrue();
    }
    var replacement = database.read(connection -> {
      underlying(connection, SELECT);
      return connection.unwrap(Connection.class);
    });

    assertThat(old).doesNotContain(replacement);
    assertThat(database.connectionsWithCachedStatements()).containsExactly(replacement);
  }

  private Path file() {
    return directory.resolve("cache.db");
  }

  private static PreparedStatement underlying(Connection connection, String sql) throws SQLException {
    try (var statement = connection.prepareStatement(sql)) {
      statement.setString(1, "a");
      try (var rows = statement.executeQuery()) {
        assertThat(rows.next()).isTrue();
      }
      return statement.unwrap(PreparedStatement.class);
    }
  }
}
