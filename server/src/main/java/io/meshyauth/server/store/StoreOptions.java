package io.meshyauth.server.store;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the server connects to its database besides the URL.
 *
 * @param user the database user, instead of {@code user=} in the URL
 * @param password the database password, instead of {@code password=} in the URL (where {@code ps} shows it)
 * @param connectTimeout how long a request waits for a connection before it is answered 503 (the pool's wait,
 *     and PostgreSQL's connect and login timeouts)
 * @param socketTimeout PostgreSQL: how long a statement waits for the database's answer before its connection is
 *     dropped (pgjdbc {@code socketTimeout}); zero waits for ever
 * @param poolSize PostgreSQL: connections at most (SQLite keeps its own few)
 */
public record StoreOptions(Optional<String> user, Optional<String> password, Duration connectTimeout,
    Duration socketTimeout, int poolSize) {
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
  public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_POOL_SIZE = 10;

  public StoreOptions {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    if (connectTimeout.toMillis() < 250) {
      throw new IllegalArgumentException("connectTimeout must be at least 250 ms, was " + connectTimeout);
    }
    if (socketTimeout.isNegative()) {
      throw new IllegalArgumentException("socketTimeout must not be negative, was " + socketTimeout);
    }
    if (poolSize < 1) {
      throw new IllegalArgumentException("poolSize must be at least 1, was " + poolSize);
    }
  }

  public static StoreOptions defaults() {
    return new StoreOptions(Optional.empty(), Optional.empty(), DEFAULT_CONNECT_TIMEOUT, DEFAULT_SOCKET_TIMEOUT,
        DEFAULT_POOL_SIZE);
  }

  public StoreOptions withConnectTimeout(Duration value) {
    return new StoreOptions(user, password, value, socketTimeout, poolSize);
  }

  public StoreOptions withCredentials(String newUser, String newPassword) {
    return new StoreOptions(Optional.of(newUser), Optional.of(newPassword), connectTimeout, socketTimeout, poolSize);
  }

  @Override
  public String toString() {
    return "StoreOptions[user=" + user.orElse("(from the URL)") + ", password=" + password.map(p -> "****")
        .orElse("(from the URL)") + ", connectTimeout=" + connectTimeout + ", socketTimeout=" + socketTimeout
        + ", poolSize=" + poolSize + "]";
  }
}
