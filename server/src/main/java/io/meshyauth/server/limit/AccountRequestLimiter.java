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
    var policy = new RateLimitExceededException.Policy("account", account.requestsPerMinute(), Duration.ofMinutes(1));
    // the limit is part of the key, so a changed limit takes effect at once
    var bucket = buckets.bucket("account:" + account.name() + ":" + policy.quota(), Quotas.refillingOver(policy));
    Quotas.take(bucket, policy, "Request limit reached for this account.");
  }
}
