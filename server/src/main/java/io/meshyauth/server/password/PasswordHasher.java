package io.meshyauth.server.password;

import io.meshyauth.server.oauth.Password;

/** Hashes passwords into self-describing strings and checks them in constant time. */
public interface PasswordHasher {
  String hash(Password password);

  boolean verify(Password password, String storedHash);

  /**
   * Spends the same work as {@link #verify} on a hash that matches nothing, so that an unknown user
   * costs as much time as a wrong password.
   */
  void verifyAgainstDummy(Password password);

  /** Whether the hash was made with other parameters than the configured ones. */
  boolean needsRehash(String storedHash);
}
