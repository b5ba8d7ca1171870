package io.meshyauth.server.oauth;

import io.meshyauth.server.errors.ApiError;
import io.meshyauth.server.store.Account;
import io.meshyauth.server.store.AccountStore;

/**
 * Public clients (RFC 6749 section 2.1) identify themselves by client_id alone. An unknown account and
 * an unknown client get the same answer.
 */
public final class ClientAuthenticator {
  private final AccountStore accounts;

  public ClientAuthenticator(AccountStore accounts) {
    this.accounts = accounts;
  }

  public Account authenticate(String accountName, String clientId) {
    var account = accounts.findAccount(accountName)
        .orElseThrow(() -> ApiError.invalidClient().because("no such account"));
    if (!account.hasClient(clientId)) {
      throw ApiError.invalidClient().because("the account has no such client");
    }
    return account;
  }
}
