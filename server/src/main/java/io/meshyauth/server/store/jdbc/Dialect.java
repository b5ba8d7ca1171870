package io.meshyauth.server.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The two databases the store runs on. The SQL is the same for both; what differs is how a write
 * transaction starts and ends, and nothing else.
 */
enum Dialect {
  /**
   * One writer at a time per database file. {@code BEGIN IMMEDIATE} takes the write lock before the first
   * read, so a transaction never has to upgrade a read lock (which fails at once with SQLITE_BUSY instead of
   * waiting); a writer of another process is waited for through the busy timeout. The driver's own
   * transaction mode is not used: after every commit it begins the next transaction at once, which with
   * IMMEDIATE would hold the write lock between transactions and could fail after the commit succeeded.
   */
  SQLITE {
    @Override
    Map<String, String> migrationPlaceholders() {
      // SQLite compares TEXT by its UTF-8 bytes, which is code point order, unless told otherwise
      return Map.of("newId", "lower(hex(randomblob(12)))", "codePointOrder", "",
          "usernameKeyInCodePointOrder", "");
    }

    @Override
    void begin(Connection connection) throws SQLException {
      execute(connection, "BEGIN IMMEDIATE");
    }

    @Override
    void commit(Connection connection) throws SQLException {
      execute(connection, "COMMIT");
    }

    @Override
    void rollback(Connection connection) throws SQLException {
      execute(connection, "ROLLBACK");
    }
  },

  /** Read committed, the default; writes that must not interleave lock a row first (see the stores). */
  POSTGRESQL {
    @Override
    Map<String, String> migrationPlaceholders() {
      return Map.of("newId", "substr(md5(random()::text || clock_timestamp()::text), 1, 24)",
          "codePointOrder", "COLLATE \"C\"",
          "usernameKeyInCodePointOrder", "ALTER TABLE users ALTER COLUMN username_key TYPE TEXT COLLATE \"C\";");
    }

    @Override
    void begin(Connection connection) throws SQLException {
      connection.setAutoCommit(false);
    }

    @Override
    void commit(Connection connection) throws SQLException {
      connection.commit();
      connection.setAutoCommit(true);
    }

    @Override
    void rollback(Connection connection) throws SQLException {
      connection.rollback();
      connection.setAutoCommit(true);
    }
  };

  static final String SQLITE_PREFIX = "jdbc:sqlite:";
  static final String POSTGRESQL_PREFIX = "jdbc:postgresql:";

  static Dialect of(String jdbcUrl) {
    if (jdbcUrl.startsWith(SQLITE_PREFIX)) {
      return SQLITE;
    }
    if (jdbcUrl.startsWith(POSTGRESQL_PREFIX)) {
      return POSTGRESQL;
    }
    throw new IllegalArgumentException("store URL must start with " + SQLITE_PREFIX + " or " + POSTGRESQL_PREFIX
        + ", was " + redact(jdbcUrl));
  }

  /** The URL without its query, where a password may be. */
  static String redact(String jdbcUrl) {
    int query = jdbcUrl.indexOf('?');
    return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query) + "?...";
  }

  /** Whether the URL holds a password: a {@code password} parameter, or {@code user:password@} before the host. */
  static boolean carriesPassword(String jdbcUrl) {
    return PASSWORD_IN_URL.matcher(jdbcUrl).find();
  }

  private static final Pattern PASSWORD_IN_URL = Pattern.compile("(?i)([?&;]password=)|(//[^/@?]*:[^/@?]*@)");

  /** A statement without parameters or rows, prepared (so that on SQLite it is compiled once per connection). */
  static void execute(Connection connection, String sql) throws SQLException {
    try (var statement = connection.prepareStatement(sql)) {
      statement.execute();
    }
  }

  /** What the migrations' {@code ${...}} placeholders stand for on this database (see V7). */
  abstract Map<String, String> migrationPlaceholders();

  abstract void begin(Connection connection) throws SQLException;

  abstract void commit(Connection connection) throws SQLException;

  abstract void rollback(Connection connection) throws SQLException;
}
