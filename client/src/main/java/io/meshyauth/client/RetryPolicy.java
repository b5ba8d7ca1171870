package io.meshyauth.client;

import java.time.Duration;
import java.util.function.Supplier;

/** What the client does when the server answers 429: give up at once (the default), or wait and try again. */
public final class RetryPolicy {
  private static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO);

  private final int maxAttempts;
  private final Duration maxTotalWait;

  private RetryPolicy(int maxAttempts, Duration maxTotalWait) {
    this.maxAttempts = maxAttempts;
    this.maxTotalWait = maxTotalWait;
  }

  /** Every 429 surfaces as {@link RateLimitedException} at once. */
  public static RetryPolicy none() {
    return NONE;
  }

  /**
   * Waits the server's Retry-After and tries again, for at most {@code maxAttempts} attempts in all (the first
   * included) and at most {@code maxTotalWait} of waiting: a Retry-After longer than the wait left is thrown
   * at once rather than waited for.
   */
  public static RetryPolicy onRateLimit(int maxAttempts, Duration maxTotalWait) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
    if (maxTotalWait.isNegative()) {
      throw new IllegalArgumentException("maxTotalWait must not be negative, was " + maxTotalWait);
    }
    return new RetryPolicy(maxAttempts, maxTotalWait);
  }

  <T> T run(Supplier<T> request) {
    var waited = Duration.ZERO;
    for (int attempt = 1; ; attempt++) {
      try {
        return request.get();
      } catch (RateLimitedException e) {
        var wait = e.retryAfter();
        if (attempt >= maxAttempts || waited.plus(wait).compareTo(maxTotalWait) > 0) {
          throw e;
        }
        try {
          Thread.sleep(wait.toMillis());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
        waited = waited.plus(wait);
      }
    }
  }

  @Override
  public String toString() {
    return this == NONE ? "RetryPolicy[none]"
        : "RetryPolicy[onRateLimit, maxAttempts=" + maxAttempts + ", maxTotalWait=" + maxTotalWait + "]";
  }
}
