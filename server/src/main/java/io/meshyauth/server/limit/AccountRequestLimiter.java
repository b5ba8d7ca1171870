package io.meshyauth.server.limit;

import io.github.bucket4j.Bucket;
import io.meshyauth.server.store.Account;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-account request limit (MeshyDB's "API limit"): a token bucket per account, refilled
 * greedily at the account's requests per minute. Buckets live in this process.
 */
public final class AccountRequestLimiter {
  private record Key(String accountName, long requestsPerMinute) {
  }

  private final Map<Key, Bucket> buckets = new ConcurrentHashMap<>();

  public void acquire(Account account) {
    var key = new Key(account.name(), account.requestsPerMinute());
    var bucket = buckets.computeIfAbsent(key, k -> Bucket.builder()
        .addLimit(limit -> limit.capacity(k.requestsPerMinute()).refillGreedy(k.requestsPerMinute(), Duration.ofMinutes(1)))
        .build());
    var probe = bucket.tryConsumeAndReturnRemaining(1);
    if (!probe.isConsumed()) {
      var wait = Duration.ofNanos(probe.getNanosToWaitForRefill());
      throw new RateLimitExceededException("Request limit reached for this account.", wait);
    }
  }
}
