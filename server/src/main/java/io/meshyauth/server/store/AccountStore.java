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
  default void addClient(String accountName, String clientId) {
    createClient(Client.publicClient(accountName, clientId));
  }

  /**
   * Adds the client with its secrets: {@link NotFoundException} when there is no such account,
   * {@link DuplicateException} when the account has that client already.
   */
  void createClient(Client client);

  /**
   * The client with its secrets; empty when the account has no such client or there is no such account. What a node
   * answers may be a little old, never older than a second.
   */
  Optional<Client> findClient(String accountName, String clientId);

  /** The account's clients, ordered by id: {@link NotFoundException} when there is no such account. */
  List<Client> listClients(String accountName);

  /**
   * Adds a secret to a confidential client: {@link NotFoundException} when there is no such client,
   * {@link ConflictException} when it is public or holds {@value Client#MAX_SECRETS} secrets already. Two adds at
   * once to a client of one secret leave it two.
   */
  void addClientSecret(String accountName, String clientId, ClientSecret secret);

  /**
   * Removes the client's oldest secret and answers it: {@link NotFoundException} when there is no such client,
   * {@link ConflictException} when it has one secret or none (a confidential client keeps one).
   */
  ClientSecret removeOldestClientSecret(String accountName, String clientId);

  /**
   * Deletes the client, and with it the refresh tokens issued to it: {@link NotFoundException} when there is no such
   * client.
   */
  void deleteClient(String accountName, String clientId);

  /** Replaces the account's sign-up policy: {@link NotFoundException} when there is no such account. */
  void updateSignUp(String accountName, SignUpPolicy policy);

  /** Every account, ordered by name. */
  List<Account> listAccounts();

  boolean hasAccounts();
}
