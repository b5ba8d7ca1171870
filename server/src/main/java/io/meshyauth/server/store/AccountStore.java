package io.meshyauth.server.store;

import java.util.Optional;

public interface AccountStore {
  Optional<Account> findAccount(String name);

  /** Adds the account; fails with {@link IllegalStateException} when one of that name exists. */
  void createAccount(Account account);

  boolean hasAccounts();
}
