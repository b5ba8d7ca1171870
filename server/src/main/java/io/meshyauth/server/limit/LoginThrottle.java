package io.meshyauth.server.limit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import java.time.Duration;

/**
 * Brute-force protection for the password grant (RFC 6749 section 4.3.2): failed logins are counted per
 * username and per client address; once either budget is spent, further attempts get 429 until it refills.
 * Successful logins cost nothing.
 */
public final class LoginThrottle {
  private final BucketSource buckets;
  private final RateLimitExceededException.Policy perUsername;
  private final RateLimitExceededException.Policy perClientIp;

  public LoginThrottle(BucketSource buckets, long failuresPerUsername, long failuresPerClientIp, Duration window) {
    this.buckets = buckets;
    this.perUsername = new RateLimitExceededException.Policy("failed-logins-per-user", failuresPerUsername, window);
    this.perClientIp = new RateLimitExceededException.Policy("failed-logins-per-ip", failuresPerClientIp, window);
  }

  /** Refuses the attempt, without counting it, when either budget is spent. */
  public void checkAllowed(String accountName, String usernameKey, String clientIp) {
    requireBudget(usernameBucket(accountName, usernameKey), perUsername, "Too many failed logins for this user.");
    requireBudget(ipBucket(clientIp), perClientIp, "Too many failed logins from this address.");
  }

  public void recordFailure(String accountName, String usernameKey, String clientIp) {
    usernameBucket(accountName, usernameKey).tryConsume(1);
    ipBucket(clientIp).tryConsume(1);
  }

  private Bucket usernameBucket(String accountName, String usernameKey) {
    return buckets.bucket("login-user:" + accountName + ":" + usernameKey, configuration(perUsername));
  }

  private Bucket ipBucket(String clientIp) {
    return buckets.bucket("login-ip:" + clientIp, configuration(perClientIp));
  }

  private static void requireBudget(Bucket bucket, RateLimitExceededException.Policy policy, String description) {
    var probe = bucket.estimateAbilityToConsume(1);
    if (!probe.canBeConsumed()) {
      throw new RateLimitExceededException(description, policy, Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }
  }

  private static BucketConfiguration configuration(RateLimitExceededException.Policy policy) {
    return refillingOver(policy.quota(), policy.window());
  }

  static BucketConfiguration refillingOver(long capacity, Duration period) {
    return BucketConfiguration.builder()
        .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, period))
        .build();
  }
}
