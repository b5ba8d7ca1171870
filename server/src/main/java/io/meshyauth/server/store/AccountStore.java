package io.meshyauth.server.store;

import java.util.List;
import java.util.Optional;

public interface AccountStore {
  /** The account with its clients. */
  Optional<Account> findAccount(String name);

  /** Adds the account and its clients; {@link DuplicateException} when one of that name exists. */
  void createAccount(Account account);

  /**
   * Adds a public client to the account: {@link NotFoundException} when there is no such account,
   * {@link DuplicateException} when the account has that client already.
   */
  void addClient(String accountName, String clientId);

  /** Replaces the account's sign-up policy: {@link NotFoundException} when there is no such account. */
  void updateSignUp(String accountName, SignUpPolicy policy);

  /** Every account, ordered by name. */
  List<Account> listAccounts();

  boolean hasAccounts();
}
