package io.meshyauth.server.store;

import io.meshyauth.server.oauth.Scope;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The {accountName} of the path: its public clients, the scopes it allows, its token lifetimes and its
 * request limit. Accounts are isolated from each other.
 */
public record Account(String name, Set<String> clientIds, Scope allowedScopes, Duration accessTokenLifetime,
    Duration refreshTokenLifetime, long requestsPerMinute) {

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
    if (requestsPerMinute < 1) {
      throw new IllegalArgumentException("requestsPerMinute must be at least 1");
    }
  }

  public boolean hasClient(String clientId) {
    return clientIds.contains(clientId);
  }
}
