package io.meshyauth.server.store;

import io.meshyauth.server.values.Scope;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A refresh token as it is stored: only the hash of the token, the family it belongs to (every token
 * rotated from one login), what it is bound to, when it expires (its own lifetime, and the absolute
 * lifetime of its family, counted from the login), when it was rotated and whether its family was revoked.
 */
public record RefreshTokenRecord(String tokenHash, String familyId, String accountName, String clientId,
    String userId, Scope scope, Instant issuedAt, Instant expiresAt, Instant familyExpiresAt,
    Optional<Instant> rotatedAt, boolean familyRevoked) {

  public RefreshTokenRecord {
    Objects.requireNonNull(tokenHash, "tokenHash");
    Objects.requireNonNull(familyId, "familyId");
    Objects.requireNonNull(accountName, "accountName");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(familyExpiresAt, "familyExpiresAt");
    Objects.requireNonNull(rotatedAt, "rotatedAt");
  }

  /** A token just minted: not rotated, its family live. */
  public static RefreshTokenRecord issued(String tokenHash, String familyId, String accountName, String clientId,
      String userId, Scope scope, Instant issuedAt, Instant expiresAt, Instant familyExpiresAt) {
    return new RefreshTokenRecord(tokenHash, familyId, accountName, clientId, userId, scope, issuedAt, expiresAt,
        familyExpiresAt, Optional.empty(), false);
  }

  /** Past its own lifetime or its family's absolute lifetime. */
  public boolean isExpiredAt(Instant now) {
    return !now.isBefore(expiresAt) || !now.isBefore(familyExpiresAt);
  }

  /** Neither rotated nor revoked. */
  public boolean isLive() {
    return rotatedAt.isEmpty() && !familyRevoked;
  }
}
