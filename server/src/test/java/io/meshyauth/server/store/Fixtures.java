package io.meshyauth.server.store;

import io.meshyauth.server.values.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Small factories for store tests. Names are unique, so tests sharing a database never meet. */
final class Fixtures {
  /** Millisecond precision: what the store keeps. */
  static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");
  static final Scope SCOPE = Scope.parse("meshy.api offline_access");
  static final Duration DAY = Duration.ofDays(1);
  private static final String PASSWORD_HASH = "$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA";

  private Fixtures() {
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  static Account account(String name, String... clientIds) {
    return new Account(name, Set.of(clientIds), Scope.parse("meshy.api offline_access openid"), Duration.ofHours(1),
        Duration.ofDays(30), 6_000, false);
  }

  /** A new account with one client, stored. */
  static Account createAccount(Stores stores) {
    var account = account(unique("account"), unique("client"));
    stores.accounts().createAccount(account);
    return account;
  }

  static User user(String accountName, String username) {
    return new User(UUID.randomUUID().toString(), accountName, username, Optional.of(PASSWORD_HASH), true, true,
        false, T0);
  }

  static User anonymousUser(String accountName, String username) {
    return new User(UUID.randomUUID().toString(), accountName, username, Optional.empty(), true, false, true, T0);
  }

  /** A new user of the account, stored. */
  static User createUser(Stores stores, Account account) {
    var user = user(account.name(), unique("user"));
    stores.users().createUser(user);
    return user;
  }

  static String tokenHash() {
    var bytes = new byte[32];
    ThreadLocalRandom.current().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** A token just minted at {@code issuedAt}: lives a day, its family thirty. */
  static RefreshTokenRecord token(User user, String clientId, String familyId, Instant issuedAt) {
    return RefreshTokenRecord.issued(tokenHash(), familyId, user.accountName(), clientId, user.id(), SCOPE,
        issuedAt, issuedAt.plus(DAY), T0.plus(Duration.ofDays(30)));
  }

  static String clientOf(Account account) {
    return account.clientIds().iterator().next();
  }
}
