package io.meshyauth.server.oauth;

import io.meshyauth.server.password.PasswordHasher;
import io.meshyauth.server.store.Account;
import io.meshyauth.server.store.RefreshTokenStore;
import io.meshyauth.server.store.User;
import io.meshyauth.server.store.UserStore;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** RFC 6749 section 4.3: the resource owner password credentials grant, as MeshyDB's login. */
public final class PasswordGrantHandler {
  /** MeshyDB's static password for anonymous users; it works for anonymous users alone. */
  static final String ANONYMOUS_PASSWORD = "nopassword";

  private final ClientAuthenticator clients;
  private final UserStore users;
  private final RefreshTokenStore refreshTokens;
  private final PasswordHasher hasher;
  private final TokenMinter minter;

  public PasswordGrantHandler(ClientAuthenticator clients, UserStore users, RefreshTokenStore refreshTokens,
      PasswordHasher hasher, TokenMinter minter) {
    this.clients = clients;
    this.users = users;
    this.refreshTokens = refreshTokens;
    this.hasher = hasher;
    this.minter = minter;
  }

  public IssuedTokens handle(TokenRequest.PasswordGrant request) {
    Account account = clients.authenticate(request.accountName(), request.clientId());
    Scope scope = Scopes.grant(account, request.scope());
    User user = authenticate(account, request.username(), request.password());
    if (!user.active()) {
      throw OAuthError.userInactive();
    }
    var minted = minter.mint(account, user, request.clientId(), scope);
    // committed before the answer leaves: a token handed out is never lost
    minted.refreshToken().ifPresent(refreshTokens::saveRefreshToken);
    return minted.tokens();
  }

  private User authenticate(Account account, String username, Password password) {
    Optional<User> found = users.findUser(account.name(), username);
    if (found.isEmpty()) {
      hasher.verifyAgainstDummy(password);
      throw OAuthError.invalidCredentials();
    }
    User user = found.get();
    boolean valid = user.passwordHash()
        .map(hash -> hasher.verify(password, hash))
        .orElseGet(() -> user.anonymous() && isAnonymousPassword(password));
    if (!valid) {
      throw OAuthError.invalidCredentials();
    }
    return user;
  }

  private static boolean isAnonymousPassword(Password password) {
    var sent = new String(password.chars()).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(sent, ANONYMOUS_PASSWORD.getBytes(StandardCharsets.UTF_8));
  }
}
