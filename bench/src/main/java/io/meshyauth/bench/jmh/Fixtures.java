package io.meshyauth.bench.jmh;

import io.meshyauth.server.store.Account;
import io.meshyauth.server.store.Stores;
import io.meshyauth.server.store.User;
import io.meshyauth.server.values.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** An account with one client and one user, as the benchmarks need them in a store. */
final class Fixtures {
  static final String ACCOUNT = "bench";
  static final String CLIENT_ID = "bench-client";
  static final Scope SCOPE = Scope.parse("meshy.api offline_access");

  private Fixtures() {
  }

  static Account account(Stores stores) {
    var account = new Account(ACCOUNT, Set.of(CLIENT_ID), SCOPE, Duration.ofHours(1), Duration.ofDays(30), 6_000);
    stores.accounts().createAccount(account);
    return account;
  }

  static User user(Stores stores) {
    var user = new User(UUID.randomUUID().toString(), ACCOUNT, "bench-user", Optional.empty(), true, true, true,
        Instant.now());
    stores.users().createUser(user);
    return user;
  }
}
