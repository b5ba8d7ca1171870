package io.meshyauth.server.oauth;

import io.meshyauth.server.values.Password;
import io.meshyauth.server.values.Scope;
import java.util.Optional;

/**
 * A token request whose shape has been checked; the grant handler decides whether to honour it. Each grant is one
 * record here and one method of {@link Handlers}: a grant added without its handler does not compile.
 */
public sealed interface TokenRequest {
  /** One method per grant, each implemented by the grant's handler (see {@link Grants}). */
  interface Handlers {
    IssuedTokens password(PasswordGrant request);

    IssuedTokens refresh(RefreshGrant request);
  }

  /** Hands this request to the handler of its grant. */
  IssuedTokens handleWith(Handlers handlers);

  String accountName();

  String clientId();

  /** The scope asked for; empty when the client named none. */
  Optional<Scope> scope();

  /** RFC 6749 section 4.3.2; the client's address counts its failed attempts (section 4.3.2's brute force). */
  record PasswordGrant(String accountName, String clientId, String username, Password password,
      Optional<Scope> scope, String clientAddress) implements TokenRequest {
    @Override
    public IssuedTokens handleWith(Handlers handlers) {
      return handlers.password(this);
    }
  }

  /** RFC 6749 section 6; the client's address is where a replayed token came from. */
  record RefreshGrant(String accountName, String clientId, String refreshToken, Optional<Scope> scope,
      String clientAddress) implements TokenRequest {
    @Override
    public IssuedTokens handleWith(Handlers handlers) {
      return handlers.refresh(this);
    }

    @Override
    public String toString() {
      return "RefreshGrant[accountName=" + accountName + ", clientId=" + clientId + ", scope=" + scope + "]";
    }
  }
}
