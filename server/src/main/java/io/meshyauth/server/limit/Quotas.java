package io.meshyauth.server.limit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import java.time.Duration;

/** How every limit here is a token bucket: a quota that refills evenly over its window. */
final class Quotas {
  private Quotas() {
  }

  static BucketConfiguration refillingOver(RateLimitExceededException.Policy policy) {
    return BucketConfiguration.builder()
        .addLimit(limit -> limit.capacity(policy.quota()).refillGreedy(policy.quota(), policy.window()))
        .build();
  }

  /** Refuses, with the time until there is a unit again, when the bucket has none; takes nothing. */
  static void requireUnit(Bucket bucket, RateLimitExceededException.Policy policy, String description) {
    var estimate = bucket.estimateAbilityToConsume(1);
    if (!estimate.canBeConsumed()) {
      throw new RateLimitExceededException(description, policy,
          Duration.ofNanos(estimate.getNanosToWaitForRefill()));
    }
  }

  /** Takes one unit, or refuses with the time until there is one again. */
  static void take(Bucket bucket, RateLimitExceededException.Policy policy, String description) {
    var probe = bucket.tryConsumeAndReturnRemaining(1);
    if (!probe.isConsumed()) {
      throw new RateLimitExceededException(description, policy, Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }
  }
}
