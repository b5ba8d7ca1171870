package io.meshyauth.server.store;

import java.util.Optional;

public interface RefreshTokenStore {
  void saveRefreshToken(RefreshTokenRecord token);

  /** The token with that hash, live or retired. */
  Optional<RefreshTokenRecord> findRefreshToken(String tokenHash);

  /**
   * Atomically retires the live token {@code presentedHash} and stores its successor, if any. When the token
   * was retired meanwhile (a concurrent use), nothing is stored, the family is revoked and {@code false}
   * comes back.
   */
  boolean rotate(String presentedHash, Optional<RefreshTokenRecord> successor);

  /** Retires every token of the family (RFC 9700 section 4.14.2, RFC 7009). */
  void revokeFamily(String familyId);
}
