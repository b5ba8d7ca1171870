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
  private final BucketConfiguration perUsername;
  private final BucketConfiguration perClientIp;

  public LoginThrottle(BucketSource buckets, long failuresPerUsername, long failuresPerClientIp, Duration window) {
    this.buckets = buckets;
    this.perUsername = refillingOver(failuresPerUsername, window);
    this.perClientIp = refillingOver(failuresPerClientIp, window);
  }

  /** Refuses the attempt, without counting it, when either budget is spent. */
  public void checkAllowed(String accountName, String usernameKey, String clientIp) {
    requireBudget(usernameBucket(accountName, usernameKey), "Too many failed logins for this user.");
    requireBudget(ipBucket(clientIp), "Too many failed logins from this address.");
  }

  public void recordFailure(String accountName, String usernameKey, String clientIp) {
    usernameBucket(accountName, usernameKey).tryConsume(1);
    ipBucket(clientIp).tryConsume(1);
  }

  private Bucket usernameBucket(String accountName, String usernameKey) {
    return buckets.bucket("login-user:" + accountName + ":" + usernameKey, perUsername);
  }

  private Bucket ipBucket(String clientIp) {
    return buckets.bucket("login-ip:" + clientIp, perClientIp);
  }

  private static void requireBudget(Bucket bucket, String description) {
    var probe = bucket.estimateAbilityToConsume(1);
    if (!probe.canBeConsumed()) {
      throw new RateLimitExceededException(description, Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }
  }

  static BucketConfiguration refillingOver(long capacity, Duration period) {
    return BucketConfiguration.builder()
        .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, period))
        .build();
  }
}
