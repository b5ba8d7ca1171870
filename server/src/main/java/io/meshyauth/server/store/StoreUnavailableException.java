package io.meshyauth.server.store;

import java.time.Duration;

/**
 * The database cannot take the work now: it cannot be reached (PostgreSQL down, restarting, out of connections),
 * or it refuses (SQLite locked by another process beyond its busy timeout, a disk that is full). Nothing was
 * written; the same request may succeed after {@link #retryAfter()}.
 */
public final class StoreUnavailableException extends StoreException {
  private static final long serialVersionUID = 1L;
  private final transient Duration retryAfter;

  public StoreUnavailableException(String message, Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.retryAfter = retryAfter;
  }

  /** When a client may try again: how often the server checks whether the store is back. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
