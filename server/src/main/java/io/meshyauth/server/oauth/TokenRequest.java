package io.meshyauth.server.oauth;

import io.meshyauth.server.values.Scope;
import java.util.Optional;

/**
 * A token request whose shape has been checked and whose client is authenticated; the handler of its grant decides
 * whether to honour it. Each grant has its request type, read from the form by its {@link GrantHandler}.
 */
public interface TokenRequest {
  AuthenticatedClient client();

  /** The scope asked for; empty when the client named none. */
  Optional<Scope> scope();

  /** Where the request came from: what budgets count, and what security events name. */
  String clientAddress();

  default String accountName() {
    return client().account().name();
  }

  default String clientId() {
    return client().clientId();
  }
}
