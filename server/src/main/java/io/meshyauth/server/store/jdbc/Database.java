package io.meshyauth.server.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.meshyauth.server.store.StoreException;
import io.meshyauth.server.store.StoreOutage;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The connection pool, and the one way work reaches it: a read, or a write transaction.
 *
 * <p>SQLite has one writer at a time, and each commit waits for its log to reach the disk. Writers of this
 * process therefore commit in groups (as LevelDB's writer queue does): they queue in arrival order; the one at
 * the front runs the work of everyone queued behind it, each unit under its own savepoint, in one transaction
 * with one sync, then wakes them all. A unit that fails is rolled back to its savepoint alone and its caller
 * gets its exception; a failed commit fails every unit of the group. Every caller of {@link #write} returns
 * only once its work is durable, as before, but a burst of writers costs one sync and one lock hand-over instead
 * of one each ({@link #writeWithoutSync}'s callers, once their work is committed).
 * PostgreSQL groups concurrent commits itself; its writers run each in their own transaction.
 *
 * <p>A failure the database caused (unreachable, locked, full) becomes a
 * {@link io.meshyauth.server.store.StoreUnavailableException}, which the server answers with 503, and while the
 * database is unreachable work is refused at once (see {@link Availability}).
 */
final class Database implements AutoCloseable, MeterBinder {
  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /** Units of work committed together at most; bounds the wait of the last one. */
  static final int MAX_GROUP = 64;

  private final HikariDataSource pool;
  private final Dialect dialect;
  private final ReentrantLock queueLock = new ReentrantLock();
  private final ArrayDeque<PendingWrite<?>> writers = new ArrayDeque<>();
  private final AtomicLong groupCommits = new AtomicLong();
  private final Availability availability;
  private final Runnable afterClose;
  /** SQLite's statements, compiled once per connection; PostgreSQL's driver keeps its own. */
  private final StatementCache statements = new StatementCache();

  Database(HikariDataSource pool, Dialect dialect, Availability availability, Runnable afterClose) {
    this.pool = pool;
    this.dialect = dialect;
    this.availability = availability;
    this.afterClose = afterClose;
  }

  Dialect dialect() {
    return dialect;
  }

  HikariDataSource pool() {
    return pool;
  }

  /** Empty while the database takes work; otherwise why not, since when. */
  Optional<StoreOutage> outage() {
    return availability.outage();
  }

  /** A connection from the pool; on SQLite, one whose statements are kept for reuse. */
  private Connection connection() throws SQLException {
    var pooled = pool.getConnection();
    if (dialect != Dialect.SQLITE) {
      return pooled;
    }
    try {
      return statements.on(pooled);
    } catch (SQLException | RuntimeException e) {
      pooled.close();
      throw e;
    }
  }

  /** The statements kept for {@code pooled}'s physical connection (for tests). */
  int cachedStatements(Connection pooled) throws SQLException {
    return statements.size(pooled);
  }

  /** The physical connections whose statements are kept (for tests). */
  List<Connection> connectionsWithCachedStatements() {
    return statements.connections();
  }

  /** Runs statements that only read, each in its own implicit transaction. */
  <T> T read(Work<T> work) {
    availability.requireReachable();
    // reads go on while writes are refused (a full disk, a lock): only a write ends such an episode
    try (var connection = connection()) {
      return work.run(connection);
    } catch (SQLException e) {
      throw failure("reading from the store failed", e);
    }
  }

  /**
   * Runs work that uses the database some other way (a library's own statements), refused at once while the
   * database is unreachable; its failure, wherever the library wrapped it, is classified like any other.
   */
  <T> T call(Supplier<T> work) {
    availability.requireReachable();
    T result;
    try {
      result = work.get();
    } catch (RuntimeException e) {
      var fault = StoreFault.of(dialect, e);
      throw fault == StoreFault.OTHER ? e : availability.failed(fault, e);
    }
    availability.succeeded();
    return result;
  }

  /** The exception a failed statement becomes: 503 when the database caused it, else a plain store failure. */
  RuntimeException failure(String what, Throwable e) {
    if (e instanceof StoreException stored) {
      return stored;
    }
    var fault = StoreFault.of(dialect, e);
    if (fault != StoreFault.OTHER) {
      return availability.failed(fault, e);
    }
    if (e instanceof RuntimeException runtime) {
      return runtime;
    }
    return new StoreException(what, e);
  }

  /**
   * Runs the work in one transaction and returns once it is committed (durably: see {@link JdbcStores}).
   * Any exception rolls it back and propagates, domain exceptions as they are.
   */
  <T> T write(Work<T> work) {
    return write(work, true);
  }

  /**
   * As {@link #write}, for state whose loss on a power cut costs little (rate-limit buckets): committed and seen
   * by every process on the store at once, but on SQLite not synced to the disk by its own commit. A group of
   * such writes alone commits with {@code synchronous=NORMAL}; the next synced commit, or a checkpoint, syncs
   * them. A process that crashes loses none of them: only the machine losing power can. On PostgreSQL, as
   * {@link #write}.
   */
  <T> T writeWithoutSync(Work<T> work) {
    return write(work, false);
  }

  private <T> T write(Work<T> work, boolean synced) {
    availability.requireReachable();
    T result = dialect == Dialect.SQLITE ? writeInGroup(new PendingWrite<>(work, synced, queueLock.newCondition()))
        : writeAlone(new PendingWrite<>(work, synced, null));
    availability.succeeded();
    return result;
  }

  private <T> T writeAlone(PendingWrite<T> pending) {
    try (var connection = connection()) {
      dialect.begin(connection);
      boolean committed = false;
      try {
        pending.runIn(connection);
        if (pending.failure == null) {
          dialect.commit(connection);
          committed = true;
        }
      } finally {
        if (!committed) {
          rollBack(connection);
        }
      }
    } catch (SQLException e) {
      pending.fail(e);
    }
    return pending.outcome(this);
  }

  private <T> T writeInGroup(PendingWrite<T> mine) {
    List<PendingWrite<?>> group;
    queueLock.lock();
    try {
      writers.addLast(mine);
      while (!mine.done && writers.peekFirst() != mine) {
        mine.woken.awaitUninterruptibly();
      }
      if (mine.done) {
        return mine.outcome(this);
      }
      // at the front: lead a group of everyone queued so far; whoever queues meanwhile waits behind it
      group = new ArrayList<>(Math.min(writers.size(), MAX_GROUP));
      var queued = writers.iterator();
      while (queued.hasNext() && group.size() < MAX_GROUP) {
        group.add(queued.next());
      }
    } finally {
      queueLock.unlock();
    }
    try {
      commitGroup(group);
    } finally {
      queueLock.lock();
      try {
        for (var done : group) {
          writers.removeFirst();
          done.done = true;
          done.woken.signal();
        }
        var next = writers.peekFirst();
        if (next != null) {
          next.woken.signal();
        }
      } finally {
        queueLock.unlock();
      }
    }
    return mine.outcome(this);
  }

  private void commitGroup(List<PendingWrite<?>> group) {
    try (var connection = connection()) {
      // the setting holds for the connection's next commits: set for every group
      Dialect.execute(connection, group.stream().anyMatch(unit -> unit.synced)
          ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
      dialect.begin(connection);
      boolean committed = false;
      try {
        if (group.size() == 1) {
          group.get(0).runIn(connection);
          if (group.get(0).failure != null) {
            return; // rolled back below
          }
        } else {
          for (var unit : group) {
            runUnderSavepoint(connection, unit);
          }
        }
        dialect.commit(connection);
        committed = true;
        groupCommits.incrementAndGet();
      } finally {
        if (!committed) {
          rollBack(connection);
        }
      }
    } catch (SQLException | RuntimeException | Error e) {
      // nothing of the group is committed: every unit that had succeeded fails now, so no caller takes an
      // uncommitted write for done
      for (var unit : group) {
        if (unit.failure == null) {
          unit.fail(e);
        }
      }
    }
  }

  private static void runUnderSavepoint(Connection connection, PendingWrite<?> unit) throws SQLException {
    Dialect.execute(connection, "SAVEPOINT unit");
    unit.runIn(connection);
    if (unit.failure != null) {
      Dialect.execute(connection, "ROLLBACK TO unit");
    }
    Dialect.execute(connection, "RELEASE unit");
  }

  /** Groups committed so far on SQLite (each with one sync, unless it held only writes without one). */
  long groupCommits() {
    return groupCommits.get();
  }

  /** Writers waiting or being written now, on SQLite. */
  int queuedWriters() {
    queueLock.lock();
    try {
      return writers.size();
    } finally {
      queueLock.unlock();
    }
  }

  /** HikariCP's meters of the pool ({@code hikaricp_connections_*}), and on SQLite the writers' queue. */
  @Override
  public void bindTo(MeterRegistry registry) {
    // a pool reports to one registry, for good
    if (pool.getMetricRegistry() == null) {
      pool.setMetricRegistry(registry);
    }
    if (dialect == Dialect.SQLITE) {
      Gauge.builder("meshy.store.write.queue", this, Database::queuedWriters)
          .description("SQLite writers waiting to commit, or committing now").register(registry);
      FunctionCounter.builder("meshy.store.group.commits", this, Database::groupCommits)
          .description("SQLite transactions committed, each holding the writes of one group").register(registry);
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
      availability.close();
      pool.close();
    } finally {
      afterClose.run();
    }
  }

  /** One caller's work, its outcome once run, and how its caller is woken (in a group only). */
  private static final class PendingWrite<T> {
    private final Work<T> work;
    /** Whether its commit must reach the disk before the caller returns. */
    private final boolean synced;
    private final Condition woken;
    private T result;
    private Throwable failure;
    /** Guarded by the queue lock, which also publishes result and failure to the caller. */
    private boolean done;

    PendingWrite(Work<T> work, boolean synced, Condition woken) {
      this.work = work;
      this.synced = synced;
      this.woken = woken;
    }

    void runIn(Connection connection) {
      try {
        result = work.run(connection);
      } catch (SQLException | RuntimeException | Error e) {
        failure = e;
      }
    }

    void fail(Throwable e) {
      result = null;
      failure = e;
    }

    /** The result, or the failure as {@code database} classifies it. */
    T outcome(Database database) {
      if (failure == null) {
        return result;
      }
      if (failure instanceof Error e) {
        throw e;
      }
      throw database.failure("writing to the store failed", failure);
    }
  }
}
