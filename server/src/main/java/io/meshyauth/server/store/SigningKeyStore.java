package io.meshyauth.server.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Signing keys of one account or of every account. A lookup for an account finds its own keys and the keys
 * of every account; a lookup for no account finds only the latter. Private keys are encrypted before they
 * reach the database, and decrypted when read.
 */
public interface SigningKeyStore {
  /** {@link DuplicateException} when a key with that kid exists. */
  void saveSigningKey(SigningKey key);

  /** The keys that may sign at {@code now} (created, not retired), newest first. */
  List<SigningKey> activeSigningKeys(Optional<String> accountName, Instant now);

  /** The keys whose public half belongs in the JWK set at {@code now}, newest first. */
  List<SigningKey> publishedSigningKeys(Optional<String> accountName, Instant now);

  /**
   * Moves a key's end of signing and end of publication, e.g. to retire it now when a new key takes over;
   * {@link NotFoundException} when there is no such key.
   */
  void retireSigningKey(String kid, Instant retireAfter, Instant notAfter);
}
