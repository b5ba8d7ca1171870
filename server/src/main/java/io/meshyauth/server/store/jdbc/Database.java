package io.meshyauth.server.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.meshyauth.server.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/** The connection pool, and the one way work reaches it: a read, or a write transaction. */
final class Database implements AutoCloseable {
  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final HikariDataSource pool;
  private final Dialect dialect;
  /**
   * SQLite has one writer at a time. Queueing this process's writers on a fair lock, before they take a
   * connection, lets them through in order instead of polling the file lock in SQLite's busy handler (which
   * backs off up to 100 ms a try and favours no one). PostgreSQL writers need no such queue.
   */
  private final Optional<Lock> writerQueue;
  private final Runnable afterClose;

  Database(HikariDataSource pool, Dialect dialect, Runnable afterClose) {
    this.pool = pool;
    this.dialect = dialect;
    this.writerQueue = dialect == Dialect.SQLITE ? Optional.of(new ReentrantLock(true)) : Optional.empty();
    this.afterClose = afterClose;
  }

  Dialect dialect() {
    return dialect;
  }

  HikariDataSource pool() {
    return pool;
  }

  /** Runs statements that only read, each in its own implicit transaction. */
  <T> T read(Work<T> work) {
    try (var connection = pool.getConnection()) {
      return work.run(connection);
    } catch (SQLException e) {
      throw new StoreException("reading from the store failed", e);
    }
  }

  /**
   * Runs the work in one transaction and returns once it is committed (durably: see {@link JdbcStores}).
   * Any exception rolls it back and propagates, domain exceptions as they are.
   */
  <T> T write(Work<T> work) {
    writerQueue.ifPresent(Lock::lock);
    try (var connection = pool.getConnection()) {
      dialect.begin(connection);
      boolean committed = false;
      try {
        T result = work.run(connection);
        dialect.commit(connection);
        committed = true;
        return result;
      } finally {
        if (!committed) {
          rollBack(connection);
        }
      }
    } catch (SQLException e) {
      throw new StoreException("writing to the store failed", e);
    } finally {
      writerQueue.ifPresent(Lock::unlock);
    }
  }

  private void rollBack(Connection connection) {
    try {
      dialect.rollback(connection);
    } catch (SQLException | RuntimeException e) {
      // a connection in an unknown transaction state must not go back to the pool
      pool.evictConnection(connection);
    }
  }

  @Override
  public void close() {
    try {
      pool.close();
    } finally {
      afterClose.run();
    }
  }
}
