package io.meshyauth.server.limit;

import io.meshyauth.server.events.SecurityEvent.BudgetExhausted;
import io.meshyauth.server.events.SecurityEvents;
import io.meshyauth.server.store.Account;
import java.time.Duration;
import java.util.Optional;

/**
 * The per-account request limit (MeshyDB's "API limit"): a token bucket per account, refilled greedily at
 * the account's requests per minute.
 */
public final class AccountRequestLimiter {
  private final BucketSource buckets;
  private final SecurityEvents events;

  public AccountRequestLimiter(BucketSource buckets) {
    this(buckets, SecurityEvents.NONE);
  }

  public AccountRequestLimiter(BucketSource buckets, SecurityEvents events) {
    this.buckets = buckets;
    this.events = events;
  }

  public void acquire(Account account) {
    var policy = new RateLimitExceededException.Policy("account", account.requestsPerMinute(), Duration.ofMinutes(1));
    // the limit is part of the key, so a changed limit takes effect at once
    var bucket = buckets.bucket("account:" + account.name() + ":" + policy.quota(), Quotas.refillingOver(policy));
    try {
      Quotas.take(bucket, policy, "Request limit reached for this account.");
    } catch (RateLimitExceededException e) {
      events.report(new BudgetExhausted(policy.name(), Optional.of(account.name()), Optional.empty(),
          Optional.empty()));
      throw e;
    }
  }
}
