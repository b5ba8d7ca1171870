package io.meshyauth.server.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A user of one account. {@code username} is kept as registered, for display; logins compare its
 * {@linkplain Usernames#normalise normalised} form. Anonymous users have no password hash: they log in
 * with the static password {@code nopassword}, which works for them alone.
 */
public record User(String id, String accountName, String username, Optional<String> passwordHash, boolean active,
    boolean verified, boolean anonymous, Instant createdAt, UserProfile profile) {

  public User {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(accountName, "accountName");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(passwordHash, "passwordHash");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(profile, "profile");
  }

  /** A user with no names, roles or permissions. */
  public User(String id, String accountName, String username, Optional<String> passwordHash, boolean active,
      boolean verified, boolean anonymous, Instant createdAt) {
    this(id, accountName, username, passwordHash, active, verified, anonymous, createdAt, UserProfile.EMPTY);
  }

  public User withActive(boolean isActive) {
    return new User(id, accountName, username, passwordHash, isActive, verified, anonymous, createdAt, profile);
  }

  public User withVerified(boolean isVerified) {
    return new User(id, accountName, username, passwordHash, active, isVerified, anonymous, createdAt, profile);
  }

  public User withPasswordHash(String hash) {
    return new User(id, accountName, username, Optional.of(hash), active, verified, anonymous, createdAt, profile);
  }

  public User withProfile(UserProfile newProfile) {
    return new User(id, accountName, username, passwordHash, active, verified, anonymous, createdAt, newProfile);
  }

  @Override
  public String toString() {
    return "User[id=" + id + ", accountName=" + accountName + ", username=" + username + ", active=" + active
        + ", verified=" + verified + ", anonymous=" + anonymous + ", createdAt=" + createdAt + ", profile=" + profile + "]";
  }
}
