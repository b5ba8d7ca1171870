package io.meshyauth.server.store.jdbc;

import io.meshyauth.server.store.StoreHealth;
import io.meshyauth.server.store.Stores;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The readiness probe's query: the thumbprint of the key-encryption key the store records, one indexed read that
 * shows both that the store answers and that this process's key reads its signing keys.
 *
 * <p>Probes arrive every second, perhaps from several load balancers, and a store that hangs must not pile up
 * threads: at most one query is in flight, on a thread of its own, and every probe waits for it at most its
 * timeout. On PostgreSQL the query's socket reads time out too, so that a connection lost without a word (a
 * network partition) cannot hold the one query for ever. The log says when the answer changes, not at each probe.
 */
final class StoreProbe implements Stores.Probe {
  private static final Logger LOG = LoggerFactory.getLogger(StoreProbe.class);
  private static final String RECORDED_KEY = "SELECT thumbprint FROM key_encryption_key WHERE id = 1";

  private final Database database;
  private final String thumbprint;
  private final AtomicReference<CompletableFuture<StoreHealth>> inFlight = new AtomicReference<>();
  private final AtomicReference<StoreHealth> last = new AtomicReference<>(StoreHealth.READY);

  StoreProbe(Database database, String thumbprint) {
    this.database = database;
    this.thumbprint = thumbprint;
  }

  @Override
  public StoreHealth ping(Duration timeout) {
    var mine = new CompletableFuture<StoreHealth>();
    var running = inFlight.compareAndExchange(null, mine);
    if (running == null) {
      running = mine;
      var thread = new Thread(() -> {
        try {
          mine.complete(query(timeout));
        } finally {
          inFlight.compareAndSet(mine, null);
        }
      }, "meshy-auth-store-probe");
      thread.setDaemon(true);
      thread.start();
    }
    StoreHealth health;
    try {
      health = running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      health = StoreHealth.STORE_TIMED_OUT;
    } catch (ExecutionException e) {
      health = StoreHealth.STORE_FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      health = StoreHealth.STORE_FAILED;
    }
    noteChange(health, null);
    return health;
  }

  private StoreHealth query(Duration timeout) {
    try {
      var recorded = database.read(connection -> {
        if (database.dialect() == Dialect.POSTGRESQL) {
          // reset by the pool when the connection goes back to it
          connection.setNetworkTimeout(Runnable::run, (int) Math.max(1, timeout.toMillis()));
        }
        try (var statement = connection.prepareStatement(RECORDED_KEY)) {
          statement.setQueryTimeout((int) Math.max(1, (timeout.toMillis() + 999) / 1000));
          try (var rows = statement.executeQuery()) {
            return rows.next() ? rows.getString(1) : null;
          }
        }
      });
      return thumbprint.equals(recorded) ? StoreHealth.READY : noteChange(StoreHealth.KEYS_UNREADABLE, null);
    } catch (RuntimeException e) {
      return noteChange(StoreHealth.STORE_FAILED, e);
    }
  }

  /** Logs when the probes' answer changes; the query's own failure is logged with its cause, once. */
  private StoreHealth noteChange(StoreHealth health, Throwable cause) {
    var before = last.getAndSet(health);
    if (before == health) {
      return health;
    }
    if (health == StoreHealth.READY) {
      LOG.atInfo().addKeyValue("was", before).log("store ready again");
    } else {
      LOG.atWarn().addKeyValue("health", health).setCause(cause).log("store not ready");
    }
    return health;
  }
}
