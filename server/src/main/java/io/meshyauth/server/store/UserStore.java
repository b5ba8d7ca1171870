package io.meshyauth.server.store;

import java.util.List;
import java.util.Optional;

/** Users of one account at a time; usernames are compared {@linkplain Usernames#normalise normalised}. */
public interface UserStore {
  Optional<User> findUser(String accountName, String username);

  Optional<User> findUserById(String accountName, String userId);

  /**
   * Adds the user: {@link NotFoundException} when there is no such account, {@link DuplicateException} when
   * the username is taken in that account.
   */
  void createUser(User user);

  /**
   * Stores the password hash, active and verified flags of the user with that account and id; its username,
   * anonymous flag and creation time never change. {@link NotFoundException} when there is no such user.
   */
  void updateUser(User user);

  /** Deletes the user and every refresh token issued to it; false when there was no such user. */
  boolean deleteUser(String accountName, String userId);

  /** The users of the account, ordered by normalised username. */
  List<User> listUsers(String accountName);
}
