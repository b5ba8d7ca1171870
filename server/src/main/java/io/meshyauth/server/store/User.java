package io.meshyauth.server.store;

import java.util.Optional;

/**
 * A user of one account. Anonymous users have no password hash: they log in with the static password
 * {@code nopassword}, which works for them alone.
 */
public record User(String id, String accountName, String username, Optional<String> passwordHash, boolean active,
    boolean anonymous) {

  public User withActive(boolean isActive) {
    return new User(id, accountName, username, passwordHash, isActive, anonymous);
  }

  @Override
  public String toString() {
    return "User[id=" + id + ", accountName=" + accountName + ", username=" + username + ", active=" + active
        + ", anonymous=" + anonymous + "]";
  }
}
