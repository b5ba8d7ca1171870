package io.meshyauth.server.oauth;

import io.meshyauth.server.errors.ApiError;
import io.meshyauth.server.values.Scope;
import java.util.Set;

/**
 * RFC 6749 section 4.4: a confidential client's own token, for a service. Its subject is the client (RFC 9068
 * section 2.2); it carries no user's claims, no refresh token (section 4.4.3) and no ID token (there is no end-user),
 * so {@code offline_access} and {@code openid} are not for it. Its scope is what the client is allowed.
 */
public final class ClientCredentialsGrantHandler implements GrantHandler<ClientCredentialsGrant> {
  /** What a token without a user cannot have: a refresh token, an ID token. */
  private static final Set<String> USER_SCOPES = Set.of(Scope.OFFLINE_ACCESS, TokenMinter.OPENID);

  private final TokenMinter minter;

  public ClientCredentialsGrantHandler(GrantContext context) {
    this.minter = context.minter();
  }

  @Override
  public ClientCredentialsGrant read(TokenForm form) {
    return new ClientCredentialsGrant(form.client(), form.scope(), form.clientAddress());
  }

  @Override
  public boolean confidentialClientsOnly() {
    return true;
  }

  @Override
  public IssuedTokens handle(ClientCredentialsGrant request) {
    if (request.scope().filter(asked -> asked.values().stream().anyMatch(USER_SCOPES::contains)).isPresent()) {
      throw ApiError.invalidScope().because("offline_access and openid are for grants with a user");
    }
    var allowed = Scopes.grant(request.client(), request.scope());
    var scope = Scope.of(allowed.values().stream().filter(value -> !USER_SCOPES.contains(value)).toList());
    return minter.mintForClient(request.client(), scope);
  }
}
