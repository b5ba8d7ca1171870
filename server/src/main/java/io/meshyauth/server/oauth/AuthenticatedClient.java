package io.meshyauth.server.oauth;

import io.meshyauth.server.store.Account;
import io.meshyauth.server.store.Client;

/** A client the request proved it is (or, for a public client, named), with its account. */
public record AuthenticatedClient(Account account, Client client) {
  public String clientId() {
    return client.clientId();
  }

  public boolean confidential() {
    return client.confidential();
  }
}
