package io.meshyauth.server.oauth;

/** Every grant this server implements, each by its handler: what the token endpoint hands a request to. */
public final class Grants implements TokenRequest.Handlers {
  private final PasswordGrantHandler passwordGrant;
  private final RefreshGrantHandler refreshGrant;

  public Grants(PasswordGrantHandler passwordGrant, RefreshGrantHandler refreshGrant) {
    this.passwordGrant = passwordGrant;
    this.refreshGrant = refreshGrant;
  }

  public IssuedTokens handle(TokenRequest request) {
    return request.handleWith(this);
  }

  @Override
  public IssuedTokens password(TokenRequest.PasswordGrant request) {
    // the password's characters are wiped once the grant is decided, whatever the outcome
    try (var password = request.password()) {
      return passwordGrant.handle(request);
    }
  }

  @Override
  public IssuedTokens refresh(TokenRequest.RefreshGrant request) {
    return refreshGrant.handle(request);
  }
}
