package io.meshyauth.server.store;

import io.meshyauth.server.values.Scope;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The {accountName} of the path: its public clients, the scopes it allows, its token lifetimes, its
 * request limit, whether anyone may register anonymous users, and how users sign up and recover. Accounts are isolated from each other.
 */
public record Account(String name, Set<String> clientIds, Scope allowedScopes, Duration accessTokenLifetime,
    Duration refreshTokenLifetime, Duration refreshTokenAbsoluteLifetime, long requestsPerMinute,
    boolean anonymousRegistration, SignUpPolicy signUp) {

  public Account {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(signUp, "signUp");
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

  /** An account with the default sign-up policy: no public registration, no verification. */
  public Account(String name, Set<String> clientIds, Scope allowedScopes, Duration accessTokenLifetime,
      Duration refreshTokenLifetime, Duration refreshTokenAbsoluteLifetime, long requestsPerMinute,
      boolean anonymousRegistration) {
    this(name, clientIds, allowedScopes, accessTokenLifetime, refreshTokenLifetime, refreshTokenAbsoluteLifetime,
        requestsPerMinute, anonymousRegistration, SignUpPolicy.DEFAULT);
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

  public Account withSignUp(SignUpPolicy policy) {
    return new Account(name, clientIds, allowedScopes, accessTokenLifetime, refreshTokenLifetime,
        refreshTokenAbsoluteLifetime, requestsPerMinute, anonymousRegistration, policy);
  }

  public boolean hasClient(String clientId) {
    return clientIds.contains(clientId);
  }
}
