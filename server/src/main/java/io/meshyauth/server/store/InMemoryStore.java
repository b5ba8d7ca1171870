package io.meshyauth.server.store;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The embedded default until the durable JDBC store lands: thread-safe, one process, nothing on disk. */
final class InMemoryStore implements AccountStore, UserStore, RefreshTokenStore {
  private final Map<String, Account> accounts = new ConcurrentHashMap<>();
  private final Map<String, User> users = new ConcurrentHashMap<>();
  private final Map<String, RefreshTokenRecord> tokens = new ConcurrentHashMap<>();

  @Override
  public Optional<Account> findAccount(String name) {
    return Optional.ofNullable(accounts.get(name));
  }

  @Override
  public void createAccount(Account account) {
    if (accounts.putIfAbsent(account.name(), account) != null) {
      throw new IllegalStateException("account exists: " + account.name());
    }
  }

  @Override
  public boolean hasAccounts() {
    return !accounts.isEmpty();
  }

  @Override
  public Optional<User> findUser(String accountName, String username) {
    return Optional.ofNullable(users.get(userKey(accountName, username)));
  }

  @Override
  public Optional<User> findUserById(String accountName, String userId) {
    return users.values().stream()
        .filter(u -> u.accountName().equals(accountName) && u.id().equals(userId))
        .findFirst();
  }

  @Override
  public void createUser(User user) {
    if (users.putIfAbsent(userKey(user.accountName(), user.username()), user) != null) {
      throw new IllegalStateException("username taken: " + user.username());
    }
  }

  @Override
  public void updateUser(User user) {
    users.replace(userKey(user.accountName(), user.username()), user);
  }

  @Override
  public void saveRefreshToken(RefreshTokenRecord token) {
    tokens.put(token.tokenHash(), token);
  }

  @Override
  public Optional<RefreshTokenRecord> findRefreshToken(String tokenHash) {
    return Optional.ofNullable(tokens.get(tokenHash));
  }

  @Override
  public boolean rotate(String presentedHash, Optional<RefreshTokenRecord> successor) {
    var won = new boolean[1];
    var presented = tokens.computeIfPresent(presentedHash, (hash, token) -> {
      won[0] = !token.retired();
      return token.retire();
    });
    if (!won[0]) {
      if (presented != null) {
        revokeFamily(presented.familyId());
      }
      return false;
    }
    successor.ifPresent(this::saveRefreshToken);
    return true;
  }

  @Override
  public void revokeFamily(String familyId) {
    tokens.replaceAll((hash, token) -> token.familyId().equals(familyId) ? token.retire() : token);
  }

  private static String userKey(String accountName, String username) {
    return accountName + '\u0000' + username;
  }
}
