package io.meshyauth.server.users;

import io.meshyauth.server.errors.ApiError;
import io.meshyauth.server.store.Account;
import io.meshyauth.server.store.DuplicateException;
import io.meshyauth.server.store.User;
import io.meshyauth.server.store.UserStore;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * MeshyDB's anonymous users: created without a password when the account allows it, they log in with the
 * static password {@code nopassword}.
 */
public final class AnonymousRegistrationHandler {
  private final UserStore users;
  private final Clock clock;

  public AnonymousRegistrationHandler(UserStore users, Clock clock) {
    this.users = users;
    this.clock = clock;
  }

  /** {@code account}: the request's account, empty when there is none of its name. */
  public User register(Optional<Account> account, String username) {
    // an unknown account answers like one that does not allow registration: account names are not probed
    var allowed = account
        .filter(a -> a.anonymousRegistration())
        .orElseThrow(() -> ApiError.invalidRequest("Anonymous registration is not enabled."));
    if (username == null || username.isBlank()) {
      throw ApiError.invalidRequest("The username is required.");
    }
    var user = new User(UUID.randomUUID().toString(), allowed.name(), username.strip(), Optional.empty(), true, false,
        true, clock.instant());
    try {
      users.createUser(user);
    } catch (DuplicateException e) {
      throw ApiError.invalidRequest("Username must be unique.");
    }
    return user;
  }
}
