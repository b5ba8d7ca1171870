package io.meshyauth.server.limit;

import java.time.Duration;

/** A limit was hit; the client may try again after {@link #retryAfter()}. */
public final class RateLimitExceededException extends RuntimeException {
  private final Policy policy;
  private final Duration retryAfter;

  /**
   * A named quota over a window, as the IETF RateLimit headers describe it
   * (draft-ietf-httpapi-ratelimit-headers: {@code RateLimit-Policy: "name";q=quota;w=seconds}).
   */
  public record Policy(String name, long quota, Duration window) {
  }

  public RateLimitExceededException(String description, Policy policy, Duration retryAfter) {
    super(description, null, false, false);
    this.policy = policy;
    this.retryAfter = retryAfter;
  }

  public Policy policy() {
    return policy;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
