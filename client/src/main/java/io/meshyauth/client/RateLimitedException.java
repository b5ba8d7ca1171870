package io.meshyauth.client;

import java.time.Duration;

/** A request limit of the account was hit (HTTP 429); try again after {@link #retryAfter()}. */
public final class RateLimitedException extends MeshyAuthException {
  private final Duration retryAfter;

  RateLimitedException(Duration retryAfter) {
    super(429, "Request limit reached for this account; retry after " + retryAfter.toSeconds() + " s");
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
