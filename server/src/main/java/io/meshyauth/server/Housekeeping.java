package io.meshyauth.server;

import io.meshyauth.server.courier.Outbox;
import io.meshyauth.server.limit.BucketSource;
import io.meshyauth.server.store.RefreshTokenStore;
import io.meshyauth.server.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what can never be used again: refresh token families past their lifetimes, rate-limit buckets
 * that have refilled, and the metadata of courier messages sent or given up longer ago than their retention. Runs on one daemon thread; a failed round is logged and the next one tries again.
 */
final class Housekeeping implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

  private final RefreshTokenStore refreshTokens;
  private final BucketSource buckets;
  private final Optional<Outbox> outbox;
  private final Duration outboxRetention;
  private final Clock clock;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
    var thread = new Thread(task, "meshy-auth-housekeeping");
    thread.setDaemon(true);
    return thread;
  });

  Housekeeping(RefreshTokenStore refreshTokens, BucketSource buckets, Clock clock, Duration interval) {
    this(refreshTokens, buckets, Optional.empty(), Duration.ZERO, clock, interval);
  }

  Housekeeping(RefreshTokenStore refreshTokens, BucketSource buckets, Optional<Outbox> outbox,
      Duration outboxRetention, Clock clock, Duration interval) {
    this.outbox = outbox;
    this.outboxRetention = outboxRetention;
    this.refreshTokens = refreshTokens;
    this.buckets = buckets;
    this.clock = clock;
    scheduler.scheduleWithFixedDelay(this::runOnce, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  void runOnce() {
    try {
      var families = refreshTokens.purgeExpired(clock.instant());
      var expiredBuckets = buckets.removeExpired();
      var messages = outbox.map(kept -> kept.purge(clock.instant().minus(outboxRetention))).orElse(0);
      if (families > 0 || expiredBuckets > 0 || messages > 0) {
        LOG.atInfo().addKeyValue("families", families).addKeyValue("buckets", expiredBuckets)
            .addKeyValue("courier_messages", messages)
            .log("removed expired refresh token families, rate-limit buckets and courier messages");
      }
    } catch (StoreUnavailableException e) {
      // the store's outage is in the log already, once
      LOG.info("housekeeping skipped: the store cannot take work; the next round tries again");
    } catch (RuntimeException e) {
      LOG.warn("housekeeping failed; the next round tries again", e);
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
