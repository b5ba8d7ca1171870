package io.meshyauth.server.password;

/**
 * One raw Argon2 computation (RFC 9106): what {@link Argon2PasswordHasher} needs of a library, below its hashing
 * slots, its queue and its PHC strings. Each slot has its instance (Bouncy Castle's keeps the slot's memory), used
 * by one thread at a time; libsodium's and libargon2's are stateless and shared.
 */
interface Argon2Function {
  byte[] NONE = new byte[0];

  /** The tag of {@code password} with the type, version, costs, salt and tag length of {@code like}. */
  default byte[] hash(byte[] password, PhcHash like) {
    return hash(password, like, NONE, NONE);
  }

  /** As {@link #hash(byte[], PhcHash)}, with RFC 9106's secret key K and associated data X (empty: none). */
  byte[] hash(byte[] password, PhcHash like, byte[] secret, byte[] associatedData);
}
