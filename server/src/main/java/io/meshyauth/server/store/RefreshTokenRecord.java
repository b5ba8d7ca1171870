package io.meshyauth.server.store;

import io.meshyauth.server.oauth.Scope;
import java.time.Instant;

/**
 * A refresh token as it is stored: only the hash of the token, the family it belongs to (every token
 * rotated from one login), what it is bound to, and whether it was already used or revoked.
 */
public record RefreshTokenRecord(String tokenHash, String familyId, String accountName, String clientId,
    String userId, Scope scope, Instant issuedAt, Instant expiresAt, boolean retired) {

  public boolean isExpiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }

  public RefreshTokenRecord retire() {
    return new RefreshTokenRecord(tokenHash, familyId, accountName, clientId, userId, scope, issuedAt, expiresAt, true);
  }
}
