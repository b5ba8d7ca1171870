package io.meshyauth.server.limit;

import io.meshyauth.server.events.SecurityEvent.BudgetExhausted;
import io.meshyauth.server.events.SecurityEvents;
import java.util.Optional;

/**
 * A budget per client address for an operation that creates something, such as anonymous registration, so
 * that no address can fill the store.
 */
public final class AddressLimiter {
  private final BucketSource buckets;
  private final RateLimitExceededException.Policy policy;
  private final String description;
  private final SecurityEvents events;

  public AddressLimiter(BucketSource buckets, RateLimitExceededException.Policy policy, String description,
      SecurityEvents events) {
    this.buckets = buckets;
    this.policy = policy;
    this.description = description;
    this.events = events;
  }

  public void acquire(String clientIp) {
    try {
      Quotas.take(buckets.bucket(policy.name() + ":" + clientIp, Quotas.refillingOver(policy)), policy, description);
    } catch (RateLimitExceededException e) {
      events.report(new BudgetExhausted(policy.name(), Optional.empty(), Optional.empty(), Optional.of(clientIp)));
      throw e;
    }
  }
}
