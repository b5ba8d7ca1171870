package io.meshyauth.server.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
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

  abstract void begin(Connection connection) throws SQLException;

  abstract void commit(Connection connection) throws SQLException;

  abstract void rollback(Connection connection) throws SQLException;
}
