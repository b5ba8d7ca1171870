package io.meshyauth.server.store;

import io.meshyauth.server.values.Scope;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The {accountName} of the path: its public clients, the scopes it allows, its token lifetimes, its
 * request limit and whether anyone may register anonymous users. Accounts are isolated from each other.
 */
public record Account(String name, Set<String> clientIds, Scope allowedScopes, Duration accessTokenLifetime,
    Duration refreshTokenLifetime, Duration refreshTokenAbsoluteLifetime, long requestsPerMinute,
    boolean anonymousRegistration) {

  public Account {
    Objects.requireNonNull(name, "name");
    clientIds = Set.copyOf(clientIds);
    Objects.requireNonNull(allowedScopes, "allowedScopes");
    if (accessTokenLifetime.isNegative() || accessTokenLifetime.isZero()) {
      throw new IllegalArgumentException("accessTokenLifetime must be positive");
    }
    if (refreshTokenLifetime.isNegative() || refreshTokenLifetime.isZero()) {
      throw new IllegalArgumentException("refreshTokenLifetime must be positive");
    }
    if (refreshTokenAbsoluteLifetime.compareTo(refreshTokenLifetime) < 0) {
      throw new IllegalArgumentException("refreshTokenAbsoluteLifetime must be at least refreshTokenLifetime");
    }
    if (requestsPerMinute < 1) {
      throw new IllegalArgumentException("requestsPerMinute must be at least 1");
    }
  }

  /** An account whose refresh token families end one refresh lifetime after the login. */
  public Account(String name, Set<String> clientIds, Scope allowedScopes, Duration accessTokenLifetime,
      Duration refreshTokenLifetime, long requestsPerMinute, boolean anonymousRegistration) {
    this(name, clientIds, allowedScopes, accessTokenLifetime, refreshTokenLifetime, refreshTokenLifetime,
        requestsPerMinute, anonymousRegistration);
  }

  /** As above, with anonymous registration off. */
  public Account(String name, Set<String> clientIds, Scope allowedScopes, Duration accessTokenLifetime,
      Duration refreshTokenLifetime, long requestsPerMinute) {
    this(name, clientIds, allowedScopes, accessTokenLifetime, refreshTokenLifetime, requestsPerMinute, false);
  }

  public boolean hasClient(String clientId) {
    return clientIds.contains(clientId);
  }
}
