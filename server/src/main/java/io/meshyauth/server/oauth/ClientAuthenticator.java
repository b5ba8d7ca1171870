package io.meshyauth.server.oauth;

import io.meshyauth.server.errors.ApiError;
import io.meshyauth.server.limit.LoginThrottle;
import io.meshyauth.server.store.Account;
import io.meshyauth.server.store.AccountStore;
import io.meshyauth.server.token.ClientSecrets;
import java.util.Optional;

/**
 * Which client a request comes from (RFC 6749 section 2.3). A public client (section 2.1) is its {@code client_id}
 * within its account; a confidential client proves it with one of its secrets, compared in constant time.
 *
 * <p>A request that presented no credentials and names an unknown client or account is a 400 {@code invalid_client},
 * as MeshyDB answers it; one that presented a secret or the Authorization header, or had to, and failed is a 401
 * (section 5.2). Either way an unknown account and an unknown client get the same answer.
 *
 * <p>A secret costs a SHA-256 to check, so, unlike a password, it is checked first and a wrong one then counted
 * against the client's failure budgets: a wrong secret is answered 401 only if its unit could be taken, so that no
 * number of wrong secrets in flight at once gets more 401s than the budget, and once a budget is spent every secret,
 * the right one too, is answered 429. A right secret takes no unit: a service's requests in flight at once are never
 * refused for each other, and cost the store no write.
 */
public final class ClientAuthenticator {
  private final AccountStore accounts;
  private final LoginThrottle throttle;

  public ClientAuthenticator(AccountStore accounts, LoginThrottle throttle) {
    this.accounts = accounts;
    this.throttle = throttle;
  }

  /** @param account the request's account as the web layer found it, empty when there is none of that name */
  public AuthenticatedClient authenticate(Optional<Account> account, ClientCredentials credentials,
      String clientAddress) {
    var clientId = credentials.clientId()
        .orElseThrow(() -> ApiError.invalidRequest("The client_id parameter is required."));
    boolean attempted = credentials.secret().isPresent()
        || credentials.method() == ClientCredentials.Method.CLIENT_SECRET_BASIC;
    var refusal = attempted ? ApiError.clientAuthenticationFailed() : ApiError.invalidClient();
    var found = account.orElseThrow(() -> refusal.because("no such account"));
    var client = accounts.findClient(found.name(), clientId)
        .orElseThrow(() -> refusal.because("the account has no such client"));
    if (!client.confidential()) {
      if (credentials.secret().isPresent()) {
        // section 2.3: a server must authenticate what a client presents, and a public client has no secret
        throw ApiError.clientAuthenticationFailed().because("a public client sent a secret");
      }
      return new AuthenticatedClient(found, client);
    }
    var secret = credentials.secret()
        .orElseThrow(() -> ApiError.clientAuthenticationFailed().because("a confidential client sent no secret"));
    if (!ClientSecrets.matches(secret, client.secrets())) {
      // 429 instead once the budget is spent: no more than the budget of wrong secrets is ever answered 401
      throttle.countFailure(found.name(), clientId, clientAddress);
      throw ApiError.clientAuthenticationFailed().because("wrong client secret");
    }
    // a spent budget refuses the right secret as it refuses a wrong one: past it, no answer tells them apart
    throttle.requireRoom(found.name(), clientId, clientAddress);
    return new AuthenticatedClient(found, client);
  }
}
