package io.meshyauth.server;

import io.meshyauth.server.oauth.Password;
import io.meshyauth.server.oauth.Scope;
import io.meshyauth.server.password.PasswordHasher;
import io.meshyauth.server.store.Account;
import io.meshyauth.server.store.Stores;
import io.meshyauth.server.store.User;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** What an operator sets up: accounts with their clients, and users. Used by the CLI, demo mode and tests. */
public final class Provisioning {
  public static final Scope DEFAULT_SCOPES = Scope.of(List.of("meshy.api", Scope.OFFLINE_ACCESS, "openid"));
  public static final Duration DEFAULT_ACCESS_TOKEN_LIFETIME = Duration.ofHours(1);
  public static final Duration DEFAULT_REFRESH_TOKEN_LIFETIME = Duration.ofDays(30);
  public static final long DEFAULT_REQUESTS_PER_MINUTE = 6_000;

  private final Stores stores;
  private final PasswordHasher hasher;
  private final Clock clock;

  Provisioning(Stores stores, PasswordHasher hasher, Clock clock) {
    this.stores = stores;
    this.hasher = hasher;
    this.clock = clock;
  }

  /** An account with one public client and the defaults: MeshyDB's scopes, one-hour access tokens. */
  public Account createAccount(String accountName, String clientId) {
    return createAccount(new Account(accountName, Set.of(clientId), DEFAULT_SCOPES, DEFAULT_ACCESS_TOKEN_LIFETIME,
        DEFAULT_REFRESH_TOKEN_LIFETIME, DEFAULT_REQUESTS_PER_MINUTE));
  }

  public Account createAccount(Account account) {
    stores.accounts().createAccount(account);
    return account;
  }

  public User createUser(String accountName, String username, Password password) {
    requireAccount(accountName);
    var user = new User(UUID.randomUUID().toString(), accountName, username, Optional.of(hasher.hash(password)), true,
        true, false, clock.instant());
    stores.users().createUser(user);
    return user;
  }

  public User createAnonymousUser(String accountName, String username) {
    requireAccount(accountName);
    var user = new User(UUID.randomUUID().toString(), accountName, username, Optional.empty(), true, false, true,
        clock.instant());
    stores.users().createUser(user);
    return user;
  }

  public void setActive(String accountName, String username, boolean active) {
    var user = stores.users().findUser(accountName, username)
        .orElseThrow(() -> new IllegalStateException("no user " + username + " in account " + accountName));
    stores.users().updateUser(user.withActive(active));
  }

  private void requireAccount(String accountName) {
    if (stores.accounts().findAccount(accountName).isEmpty()) {
      throw new IllegalStateException("no account " + accountName);
    }
  }
}
