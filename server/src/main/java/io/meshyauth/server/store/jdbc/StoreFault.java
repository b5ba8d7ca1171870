package io.meshyauth.server.store.jdbc;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/** What a failure of the database says about it: the answer decides between a 503 and a 500. */
enum StoreFault {
  /** No connection: the database is down, restarting, or the network to it is gone (PostgreSQL). */
  UNREACHABLE,
  /** It is there but cannot take this work now: locked, full, out of connections. */
  REFUSED,
  /** Anything else: a fault of ours or of the data, which no retry mends. */
  OTHER;

  /** PostgreSQL's SQLSTATEs of a server shutting down or starting (class 57P); class 08 is the connection's. */
  private static final Set<String> SHUTTING_DOWN = Set.of("57P01", "57P02", "57P03");
  /** SQLite's primary result codes for busy, locked, read-only, I/O error, full, cannot open. */
  private static final Set<Integer> SQLITE_REFUSALS = Set.of(5, 6, 8, 10, 13, 14);

  static StoreFault of(Dialect dialect, Throwable failure) {
    for (var cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof SQLTransientConnectionException timeout) {
        // HikariCP waited in vain for a connection: because it could not open one (its cause says why), or
        // because every connection was busy
        if (timeout.getCause() == null || dialect == Dialect.SQLITE) {
          return REFUSED;
        }
        var why = of(dialect, timeout.getCause());
        return why == OTHER ? UNREACHABLE : why;
      }
      if (closedByThePool(cause)) {
        return dialect == Dialect.SQLITE ? REFUSED : UNREACHABLE;
      }
      var fault = dialect == Dialect.SQLITE ? sqlite(cause) : postgresql(cause);
      if (fault != OTHER) {
        return fault;
      }
    }
    return OTHER;
  }

  /**
   * HikariCP closes a connection on which the driver reported a lost connection (class 08, 57P01...) and answers
   * every later call on it with a bare "Connection is closed", no SQLSTATE: a library that rolls back after a
   * failure (Bucket4j) then reports that instead of the loss itself.
   */
  private static boolean closedByThePool(Throwable cause) {
    if (!(cause instanceof SQLException) || ((SQLException) cause).getSQLState() != null) {
      return false;
    }
    for (var frame : cause.getStackTrace()) {
      if (frame.getClassName().equals("com.zaxxer.hikari.pool.ProxyConnection$ClosedConnection")) {
        return true;
      }
    }
    return false;
  }

  private static StoreFault postgresql(Throwable cause) {
    if (cause instanceof IOException) {
      return UNREACHABLE;
    }
    if (cause instanceof SQLException e && e.getSQLState() != null) {
      var state = e.getSQLState();
      if (state.startsWith("08") || SHUTTING_DOWN.contains(state)) {
        return UNREACHABLE;
      }
      if (state.startsWith("53")) {
        return REFUSED; // insufficient resources: disk full, out of memory, too many connections
      }
    }
    return OTHER;
  }

  private static StoreFault sqlite(Throwable cause) {
    if (cause instanceof SQLException e && SQLITE_REFUSALS.contains(e.getErrorCode() & 0xff)) {
      return REFUSED;
    }
    return OTHER;
  }

  /**
   * What to tell the operator: the innermost message of the database driver, and of the network failure under
   * it if any (e.g. {@code Connection to db:5432 refused}); such messages name no secret.
   */
  static String reason(Throwable failure) {
    SQLException innermost = null;
    for (var cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof SQLException e && e.getMessage() != null) {
        innermost = e;
      }
    }
    var reason = innermost == null ? failure.getMessage() : innermost.getMessage();
    if (innermost != null && innermost.getCause() instanceof IOException io && io.getMessage() != null) {
      reason += ": " + io.getMessage();
    }
    return reason == null ? failure.getClass().getSimpleName() : reason.lines().findFirst().orElse(reason);
  }
}
