package io.meshyauth.server.limit;

import io.meshyauth.server.store.Account;
import java.time.Duration;

/**
 * The per-account request limit (MeshyDB's "API limit"): a token bucket per account, refilled greedily at
 * the account's requests per minute.
 */
public final class AccountRequestLimiter {
  private final BucketSource buckets;

  public AccountRequestLimiter(BucketSource buckets) {
    this.buckets = buckets;
  }

  public void acquire(Account account) {
    var perMinute = account.requestsPerMinute();
    // the limit is part of the key, so a changed limit takes effect at once
    var bucket = buckets.bucket("account:" + account.name() + ":" + perMinute,
        LoginThrottle.refillingOver(perMinute, Duration.ofMinutes(1)));
    var probe = bucket.tryConsumeAndReturnRemaining(1);
    if (!probe.isConsumed()) {
      throw new RateLimitExceededException("Request limit reached for this account.",
          new RateLimitExceededException.Policy("account", perMinute, Duration.ofMinutes(1)),
          Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }
  }
}
