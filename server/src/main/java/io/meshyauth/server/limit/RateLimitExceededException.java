package io.meshyauth.server.limit;

import java.time.Duration;

/** A limit was hit; the client may try again after {@link #retryAfter()}. */
public final class RateLimitExceededException extends RuntimeException {
  private final Duration retryAfter;

  public RateLimitExceededException(String description, Duration retryAfter) {
    super(description, null, false, false);
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
