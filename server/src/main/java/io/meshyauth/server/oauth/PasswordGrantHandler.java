package io.meshyauth.server.oauth;

import io.meshyauth.server.errors.ApiError;
import io.meshyauth.server.events.SecurityEvent.LoginFailed;
import io.meshyauth.server.events.SecurityEvent.LoginSucceeded;
import io.meshyauth.server.events.SecurityEvents;
import io.meshyauth.server.limit.LoginThrottle;
import io.meshyauth.server.password.HashingBusyException;
import io.meshyauth.server.password.PasswordHasher;
import io.meshyauth.server.store.Account;
import io.meshyauth.server.store.RefreshTokenStore;
import io.meshyauth.server.store.User;
import io.meshyauth.server.store.UserStore;
import io.meshyauth.server.store.Usernames;
import io.meshyauth.server.values.Password;
import io.meshyauth.server.values.Scope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/** RFC 6749 section 4.3: the resource owner password credentials grant, as MeshyDB's login. */
public final class PasswordGrantHandler implements GrantHandler<PasswordGrant> {
  /** MeshyDB's static password for anonymous users; it works for anonymous users alone. */
  static final String ANONYMOUS_PASSWORD = "nopassword";

  private final UserStore users;
  private final RefreshTokenStore refreshTokens;
  private final PasswordHasher hasher;
  private final LoginThrottle throttle;
  private final TokenMinter minter;
  private final SecurityEvents events;

  public PasswordGrantHandler(GrantContext context) {
    this.users = context.users();
    this.refreshTokens = context.refreshTokens();
    this.hasher = context.hasher();
    this.throttle = context.loginThrottle();
    this.minter = context.minter();
    this.events = context.events();
  }

  @Override
  public PasswordGrant read(TokenForm form) {
    var parameters = form.parameters();
    var username = form.required(parameters.username());
    return new PasswordGrant(form.client(), username, Password.of(form.required(parameters.password())), form.scope(),
        form.clientAddress());
  }

  @Override
  public IssuedTokens handle(PasswordGrant request) {
    // the password's characters are wiped once the grant is decided, whatever the outcome
    try (var password = request.password()) {
      return login(request);
    }
  }

  private IssuedTokens login(PasswordGrant request) {
    Account account = request.client().account();
    Scope scope = Scopes.grant(request.client(), request.scope());
    // a flood beyond the hashing queue is turned away before its budgets are counted (a store write each)
    hasher.requireRoom();
    // the guess is counted before it waits for a hashing slot, so no number of guesses in flight can
    // outrun the budget; it is given back only when the password was right or was never checked
    var reservation = throttle.reserve(account.name(), usernameKey(request.username()), request.clientAddress());
    User user;
    try {
      user = authenticate(account, request.username(), request.password());
    } catch (HashingBusyException e) {
      reservation.giveBack();
      throw e;
    } catch (ApiError e) {
      failed(request, LoginFailed.INVALID_CREDENTIALS);
      throw e;
    }
    reservation.giveBack();
    if (!user.active()) {
      failed(request, LoginFailed.USER_INACTIVE);
      throw ApiError.userInactive().because("user deactivated");
    }
    // MeshyDB: in e-mail and text verification a user logs in once it has proved its contact with the code
    if (!user.verified() && !user.anonymous() && account.signUp().verification().requiresCode()) {
      failed(request, LoginFailed.USER_NOT_VERIFIED);
      throw ApiError.invalidGrant("User is not verified.").because("the account requires a verified contact");
    }
    var minted = minter.mint(account, user, request.clientId(), scope);
    // committed before the answer leaves: a token handed out is never lost
    minted.refreshToken().ifPresent(refreshTokens::saveRefreshToken);
    events.report(new LoginSucceeded(account.name(), request.clientId(), request.username(), user.id(),
        request.clientAddress()));
    return minted.tokens();
  }

  private void failed(PasswordGrant request, String reason) {
    events.report(new LoginFailed(request.accountName(), request.clientId(), request.username(),
        request.clientAddress(), reason));
  }

  private User authenticate(Account account, String username, Password password) {
    Optional<User> found = users.findUser(account.name(), username);
    if (found.isEmpty()) {
      hasher.verifyAgainstDummy(password);
      throw ApiError.invalidCredentials().because("unknown username");
    }
    User user = found.get();
    // a user without a hash (anonymous) costs the same hash as anyone else: no timing tells them apart
    boolean valid = user.passwordHash()
        .map(hash -> hasher.verify(password, hash))
        .orElseGet(() -> {
          hasher.verifyAgainstDummy(password);
          return user.anonymous() && isAnonymousPassword(password);
        });
    if (!valid) {
      throw ApiError.invalidCredentials().because(user.passwordHash().isPresent()
          ? "wrong password" : "wrong password for an anonymous user");
    }
    return upgradeHash(user, password);
  }

  /** A hash made with older parameters is replaced on the next successful login, while the password is at hand. */
  private User upgradeHash(User user, Password password) {
    if (user.passwordHash().filter(hasher::needsRehash).isEmpty()) {
      return user;
    }
    User upgraded;
    try {
      upgraded = user.withPasswordHash(hasher.hash(password));
    } catch (HashingBusyException e) {
      return user; // the old hash still verifies; the next login upgrades it
    }
    users.updateUser(upgraded);
    return upgraded;
  }

  private static String usernameKey(String username) {
    try {
      return Usernames.normalise(username);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  private static boolean isAnonymousPassword(Password password) {
    var sent = new String(password.chars()).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(sent, ANONYMOUS_PASSWORD.getBytes(StandardCharsets.UTF_8));
  }
}
