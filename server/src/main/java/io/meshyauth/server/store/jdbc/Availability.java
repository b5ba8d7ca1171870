package io.meshyauth.server.store.jdbc;

import io.meshyauth.server.store.StoreOutage;
import io.meshyauth.server.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the database takes work, as the work on it finds out, with one log line when that changes.
 *
 * <p>Once a request finds the database unreachable, the requests after it are answered at once instead of each
 * waiting out the connect timeout: a thread of its own tries a connection meanwhile, and the first that succeeds
 * ends the outage. A database that refuses some work (a lock, a full disk) is not unreachable: each request still
 * tries, and the episode ends with the first write that succeeds once none has been refused for
 * {@link #QUIET_AFTER_REFUSALS} (a request may write twice, once where there is room and once where there is none).
 */
final class Availability implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Availability.class);
  /** Between two failed checks of an unreachable database; each check itself waits up to the connect timeout. */
  private static final Duration CHECK_PAUSE = Duration.ofMillis(250);
  static final Duration QUIET_AFTER_REFUSALS = Duration.ofSeconds(10);

  /** Tries a connection; true when the database answered on it. */
  @FunctionalInterface
  interface Check {
    boolean reachable() throws Exception;
  }

  private final Duration retryAfter;
  private final Check check;
  private final Clock clock;
  private final AtomicReference<StoreOutage> outage = new AtomicReference<>();
  private final AtomicLong refused = new AtomicLong();
  private volatile Instant lastRefusal = Instant.MIN;
  private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(task -> {
    var thread = new Thread(task, "meshy-auth-store-check");
    thread.setDaemon(true);
    return thread;
  });

  /** @param retryAfter what a refused request is told: the connect timeout, about when a check will have run */
  Availability(Duration retryAfter, Check check, Clock clock) {
    this.retryAfter = retryAfter;
    this.check = check;
    this.clock = clock;
  }

  Optional<StoreOutage> outage() {
    return Optional.ofNullable(outage.get());
  }

  /** Refuses at once while the database is known to be unreachable. */
  void requireReachable() {
    var current = outage.get();
    if (current != null && current.unreachable()) {
      refused.incrementAndGet();
      throw new StoreUnavailableException("the store is unreachable since " + current.since() + ": "
          + current.reason(), retryAfter, null);
    }
  }

  /** A write succeeded: an episode of refusals, if one was going on and has been quiet for a while, is over. */
  void succeeded() {
    var current = outage.get();
    if (current != null && !current.unreachable()
        && Duration.between(lastRefusal, clock.instant()).compareTo(QUIET_AFTER_REFUSALS) > 0
        && outage.compareAndSet(current, null)) {
      LOG.atInfo().addKeyValue("refused", refused.getAndSet(0))
          .log("the store takes work again, after {} of refusals", since(current));
    }
  }

  /**
   * Records a failure the database caused ({@link StoreFault#UNREACHABLE} or {@link StoreFault#REFUSED}) and
   * returns what the request answers with; only the first failure of an outage is logged.
   */
  StoreUnavailableException failed(StoreFault fault, Throwable failure) {
    refused.incrementAndGet();
    lastRefusal = clock.instant();
    boolean unreachable = fault == StoreFault.UNREACHABLE;
    while (true) {
      var current = outage.get();
      if (current != null && (current.unreachable() || !unreachable)) {
        break; // known already, at least as bad
      }
      var next = new StoreOutage(current == null ? clock.instant() : current.since(), StoreFault.reason(failure),
          unreachable);
      if (outage.compareAndSet(current, next)) {
        if (unreachable) {
          LOG.warn("the store is unreachable: {}; requests that need it are answered 503 until a connection "
              + "succeeds again", next.reason());
          scheduleCheck(Duration.ZERO);
        } else {
          LOG.warn("the store refuses work: {}; such requests are answered 503", next.reason());
        }
        break;
      }
    }
    return new StoreUnavailableException("the store cannot take the work: " + StoreFault.reason(failure), retryAfter,
        failure);
  }

  private void scheduleCheck(Duration delay) {
    try {
      checker.schedule(this::checkOnce, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closed: nobody is waiting for the store any more
    }
  }

  private void checkOnce() {
    var current = outage.get();
    if (current == null || !current.unreachable()) {
      return;
    }
    boolean reachable;
    try {
      reachable = check.reachable();
    } catch (Exception e) {
      reachable = false;
    }
    if (reachable && outage.compareAndSet(current, null)) {
      LOG.atInfo().addKeyValue("refused", refused.getAndSet(0))
          .log("the store is reachable again, after {} unreachable", since(current));
    } else {
      scheduleCheck(CHECK_PAUSE);
    }
  }

  private String since(StoreOutage outage) {
    var millis = Duration.between(outage.since(), clock.instant()).toMillis();
    return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  @Override
  public void close() {
    checker.shutdownNow();
  }
}
