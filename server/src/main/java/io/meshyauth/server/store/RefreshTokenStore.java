package io.meshyauth.server.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Refresh tokens by hash, in families: every token rotated from one login belongs to the family that login
 * started. Every method returns after its change is committed.
 */
public interface RefreshTokenStore {
  /** Stores a token just minted at a login, starting its family. */
  void saveRefreshToken(RefreshTokenRecord token);

  /** The token with that hash, live, rotated or revoked. */
  Optional<RefreshTokenRecord> findRefreshToken(String tokenHash);

  /**
   * Spends the token {@code presentedHash} and stores its successor, if any, in one transaction: the decision
   * and its effects are atomic however many nodes and threads present the same token at once. With a zero
   * grace window exactly one of them gets {@link RotationOutcome#ROTATED} and every other one
   * {@link RotationOutcome#REPLAYED}. Expiry is the caller's to check.
   *
   * @param successor a token of the same family; empty when the new scope yields no refresh token
   */
  RotationOutcome rotate(String presentedHash, Optional<RefreshTokenRecord> successor, Instant now,
      Duration graceWindow);

  /** Revokes every token of the family, present and future (RFC 9700 section 4.14.2, RFC 7009). */
  void revokeFamily(String familyId, Instant now);

  /**
   * Whether the family (a login's session, the {@code sid} of its access tokens) is there and not revoked: what tells
   * an access token of a session that was logged out or replayed from one that was not (RFC 7662).
   */
  boolean isFamilyLive(String familyId);

  /**
   * Deletes the families in which no token can be refreshed any more (every one expired), revoked or not,
   * with their tokens; returns how many families went.
   */
  int purgeExpired(Instant now);
}
