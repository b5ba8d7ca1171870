package io.meshyauth.server.password;

import io.meshyauth.server.values.Password;

/** Hashes passwords into self-describing strings and checks them in constant time. */
public interface PasswordHasher {
  String hash(Password password);

  boolean verify(Password password, String storedHash);

  /**
   * Spends the same work as {@link #verify} on a hash that matches nothing, so that an unknown user
   * costs as much time as a wrong password.
   */
  void verifyAgainstDummy(Password password);

  /**
   * Refuses at once, with {@link HashingBusyException}, when the hashing queue is full now: a login flood is
   * turned away before it costs anything else (its failed-login budgets are stored, so counting costs writes).
   * A hash may still be refused when the queue fills between this check and its turn.
   */
  default void requireRoom() {
  }

  /** Whether the hash was made with other parameters than the configured ones. */
  boolean needsRehash(String storedHash);
}
