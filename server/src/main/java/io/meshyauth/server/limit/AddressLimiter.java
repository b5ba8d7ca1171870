package io.meshyauth.server.limit;

/**
 * A budget per client address for an operation that creates something, such as anonymous registration, so
 * that no address can fill the store.
 */
public final class AddressLimiter {
  private final BucketSource buckets;
  private final RateLimitExceededException.Policy policy;
  private final String description;

  public AddressLimiter(BucketSource buckets, RateLimitExceededException.Policy policy, String description) {
    this.buckets = buckets;
    this.policy = policy;
    this.description = description;
  }

  public void acquire(String clientIp) {
    Quotas.take(buckets.bucket(policy.name() + ":" + clientIp, Quotas.refillingOver(policy)), policy, description);
  }
}
