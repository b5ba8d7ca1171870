package io.meshyauth.server.users;

import io.meshyauth.server.errors.ApiError;
import io.meshyauth.server.events.SecurityEvent.LoginFailed;
import io.meshyauth.server.events.SecurityEvents;
import io.meshyauth.server.limit.LoginThrottle;
import io.meshyauth.server.password.HashingBusyException;
import io.meshyauth.server.password.PasswordHasher;
import io.meshyauth.server.store.Account;
import io.meshyauth.server.store.User;
import io.meshyauth.server.store.UserStore;
import io.meshyauth.server.store.UserStore.PasswordChange;
import io.meshyauth.server.store.Usernames;
import io.meshyauth.server.token.AccessTokenVerifier;
import io.meshyauth.server.token.AccessTokenVerifier.VerifiedAccessToken;
import io.meshyauth.server.values.Password;
import java.time.Clock;
import java.util.Optional;

/** What the signed-in user may do with its access token alone: read itself, change its password. */
public final class SelfService {
  private final UserStore users;
  private final AccessTokenVerifier verifier;
  private final PasswordHasher hasher;
  private final LoginThrottle throttle;
  private final Clock clock;
  private final SecurityEvents events;

  public SelfService(UserStore users, AccessTokenVerifier verifier, PasswordHasher hasher, LoginThrottle throttle,
      Clock clock, SecurityEvents events) {
    this.users = users;
    this.verifier = verifier;
    this.hasher = hasher;
    this.throttle = throttle;
    this.clock = clock;
    this.events = events;
  }

  /** The token's user, found by its verified token. */
  public record Authenticated(Account account, User user, VerifiedAccessToken token) {
  }

  /**
   * The active user the bearer token of this account was issued to; an {@code invalid_token} {@link ApiError} otherwise.
   * An unknown account answers as a bad token does: no key of it can have signed the token.
   */
  public Authenticated authenticate(Optional<Account> requestAccount, Optional<String> bearerToken) {
    var token = bearerToken.orElseThrow(ApiError::tokenMissing);
    var account = requestAccount.orElseThrow(ApiError::tokenInvalid);
    // a client's own token (client_credentials) has the client as its subject: it is no user's, whatever its id
    var verified = verifier.verify(account, token).filter(VerifiedAccessToken::ofUser)
        .orElseThrow(ApiError::tokenInvalid);
    var user = users.findUserById(account.name(), verified.subject())
        .filter(User::active)
        .orElseThrow(ApiError::tokenUserGone);
    return new Authenticated(account, user, verified);
  }

  /**
   * Replaces the password when {@code previous} is right, and ends every refresh token family of the user
   * except the session of the token (claim {@code sid}): a stolen refresh token stops working, the device
   * that changed the password stays signed in. A wrong previous password is a failed login: it counts
   * against the same budgets as the password grant, and once they are spent the attempt gets 429 unchecked.
   */
  public void changePassword(Authenticated who, Password previous, Password next, String clientAddress) {
    var user = who.user();
    var hash = user.passwordHash()
        .orElseThrow(() -> ApiError.invalidRequest("Anonymous users have no password to change."));
    if (!who.account().signUp().allowsPassword(next)) {
      throw ApiError.invalidRequest("Password must be at least " + who.account().signUp().minPasswordLength()
          + " characters.");
    }
    // as in the password grant: the guess is counted before it is checked, and given back when it was right
    hasher.requireRoom();
    var reservation = throttle.reserve(who.account().name(), Usernames.normalise(user.username()), clientAddress);
    boolean right;
    try {
      right = hasher.verify(previous, hash);
    } catch (HashingBusyException e) {
      reservation.giveBack();
      throw e;
    }
    if (!right) {
      events.report(new LoginFailed(who.account().name(), who.token().clientId(), user.username(), clientAddress,
          LoginFailed.INVALID_PREVIOUS_PASSWORD));
      throw previousPasswordInvalid();
    }
    reservation.giveBack();
    var outcome = users.changePassword(who.account().name(), user.id(), hash, hasher.hash(next),
        who.token().sessionId(), clock.instant());
    if (outcome == PasswordChange.STALE) {
      // another change won meanwhile: the previous password is no longer the one checked
      throw previousPasswordInvalid();
    }
  }

  private static ApiError previousPasswordInvalid() {
    return ApiError.invalidGrant("Previous password is invalid.");
  }
}
