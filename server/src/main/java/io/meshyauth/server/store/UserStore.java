package io.meshyauth.server.store;

import java.util.Optional;

public interface UserStore {
  Optional<User> findUser(String accountName, String username);

  Optional<User> findUserById(String accountName, String userId);

  /** Adds the user; fails with {@link IllegalStateException} when the username is taken in that account. */
  void createUser(User user);

  /** Replaces the stored user of the same account and username. */
  void updateUser(User user);
}
