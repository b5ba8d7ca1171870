package io.meshyauth.server.store;

import io.meshyauth.server.courier.RenderedMessage;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
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
   * Adds the user with its security questions, in their order, in one transaction: neither is stored without the
   * other. {@link NotFoundException} and {@link DuplicateException} as {@link #createUser(User)} has.
   */
  void createUser(User user, List<SecurityQuestion> questions);

  /**
   * As {@link #createUser(User, List)}, and queues {@code message} (the new user's verification code) in the
   * courier's outbox in the same transaction: the user never exists without its code on the way, whatever crashes.
   * A store without an outbox refuses a message.
   */
  default void createUser(User user, List<SecurityQuestion> questions, Optional<RenderedMessage> message,
      Instant now) {
    if (message.isPresent()) {
      throw new UnsupportedOperationException("this store keeps no outbox");
    }
    createUser(user, questions);
  }

  /**
   * Adds the users, all of the account, in one transaction, except those whose username is taken by then: they are
   * left as they were and answered. {@link NotFoundException} when there is no such account.
   */
  List<User> createUsers(String accountName, List<User> users);

  /** The users of the account with any of these usernames, by {@linkplain Usernames#normalise normalised} username. */
  Map<String, User> findUsers(String accountName, Collection<String> usernames);

  /**
   * Stores the password hash, active and verified flags of the user with that account and id; its username,
   * anonymous flag and creation time never change. {@link NotFoundException} when there is no such user.
   */
  void updateUser(User user);

  /**
   * Replaces the user's names, contacts, roles and permissions with {@code profile}, in one transaction.
   * {@link NotFoundException} when there is no such user.
   */
  void updateProfile(String accountName, String userId, UserProfile profile);

  /**
   * Replaces the user's names and contacts with {@code profile}'s, and nothing else: its roles and permissions stay
   * as they are, whatever changes them meanwhile. {@link NotFoundException} when there is no such user.
   */
  void updateDetails(String accountName, String userId, UserProfile profile);

  /**
   * An administrator's change: the user's names, contacts, active and verified flags, in one transaction that, when
   * the user is made inactive, revokes every refresh token family it holds. False when there is no such user.
   */
  default boolean updateByAdministrator(String accountName, String userId, UserProfile profile, boolean active,
      boolean verified, Instant now) {
    throw new UnsupportedOperationException("this store keeps no administration");
  }

  /**
   * MeshyDB's user search: a page of the account's users that match, ordered as asked and then by id, and how many
   * match in all.
   */
  default Page<User> searchUsers(String accountName, UserQuery query) {
    throw new UnsupportedOperationException("this store keeps no search");
  }

  /**
   * Replaces the user's password hash if it still is {@code expectedHash}, and revokes every refresh token
   * family of the user except {@code keptFamily}, in one transaction: of several changes made with the same
   * previous password, one wins.
   */
  PasswordChange changePassword(String accountName, String userId, String expectedHash, String newHash,
      Optional<String> keptFamily, Instant now);

  /** The outcome of {@link #changePassword}. */
  enum PasswordChange {
    CHANGED,
    /** The hash was no longer the expected one (changed meanwhile), or the user is gone: nothing changed. */
    STALE
  }

  /**
   * Sets the user's verified flag where it was not set: true when this call set it, false when it was set already
   * or there is no such user. Of several verifications at once, one sees true.
   */
  boolean markVerified(String accountName, String userId);

  /** The user's security questions in the order it gave them; empty when it has none or there is no such user. */
  List<SecurityQuestion> securityQuestions(String accountName, String userId);

  /**
   * Replaces the user's security questions with these, in this order, in one transaction.
   * {@link NotFoundException} when there is no such user.
   */
  void replaceSecurityQuestions(String accountName, String userId, List<SecurityQuestion> questions);

  /**
   * Deletes the user, its security questions and every refresh token issued to it; false when there was no such
   * user.
   */
  boolean deleteUser(String accountName, String userId);

  /** The users of the account, ordered by normalised username. */
  List<User> listUsers(String accountName);
}
