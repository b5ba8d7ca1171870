package io.meshyauth.server.courier;

import io.meshyauth.server.store.Account;
import io.meshyauth.server.store.PostgresBackend;
import io.meshyauth.server.store.StoreOptions;
import io.meshyauth.server.store.jdbc.JdbcStores;
import io.meshyauth.server.values.Scope;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A database of a test's own with the courier's outbox, on SQLite (a file) or PostgreSQL (the shared embedded one),
 * and an account for the messages. {@link #open} opens it (again: a restart, or another node); {@link #rows}
 * reads the outbox table as anyone with the database would.
 */
final class OutboxDatabase {
  enum Kind {
    SQLITE, POSTGRESQL
  }

  static final String ACCOUNT = "acme";

  private final String jdbcUrl;
  private final Optional<Path> keyFile;

  private OutboxDatabase(String jdbcUrl, Optional<Path> keyFile) {
    this.jdbcUrl = jdbcUrl;
    this.keyFile = keyFile;
  }

  /** A new, empty database of that kind, with the account {@link #ACCOUNT}; SQLite's file in {@code directory}. */
  static OutboxDatabase create(Kind kind, Path directory) {
    var database = switch (kind) {
      case SQLITE -> new OutboxDatabase("jdbc:sqlite:" + directory.resolve(UUID.randomUUID() + ".db"),
          Optional.empty());
      case POSTGRESQL -> {
        var postgres = PostgresBackend.shared().newDatabase();
        yield new OutboxDatabase(postgres.jdbcUrl(), Optional.of(postgres.keyFile()));
      }
    };
    try (var opened = database.open()) {
      opened.stores().accounts().createAccount(new Account(ACCOUNT, Set.of("web"), Scope.parse("meshy.api"),
          Duration.ofHours(1), Duration.ofDays(30), 6_000, false));
    }
    return database;
  }

  JdbcStores.WithOutbox open() {
    return JdbcStores.openWithOutbox(jdbcUrl, StoreOptions.defaults(), keyFile);
  }

  /** Every row of the outbox, every column, as the database holds them. */
  List<Map<String, Object>> rows() {
    try (var connection = DriverManager.getConnection(jdbcUrl);
        var statement = connection.createStatement();
        var result = statement.executeQuery("SELECT * FROM courier_messages ORDER BY created_at, id")) {
      var columns = result.getMetaData();
      var rows = new ArrayList<Map<String, Object>>();
      while (result.next()) {
        var row = new LinkedHashMap<String, Object>();
        for (int i = 1; i <= columns.getColumnCount(); i++) {
          row.put(columns.getColumnName(i).toLowerCase(Locale.ROOT), result.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the outbox table", e);
    }
  }

  /** Runs one statement on the database directly, as an intruder or an operator with the database would. */
  int execute(String sql, Object... parameters) {
    try (var connection = DriverManager.getConnection(jdbcUrl);
        var statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      return statement.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot run " + sql, e);
    }
  }
}
