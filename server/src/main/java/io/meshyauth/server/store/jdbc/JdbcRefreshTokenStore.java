package io.meshyauth.server.store.jdbc;

import io.meshyauth.server.store.RefreshTokenRecord;
import io.meshyauth.server.store.RefreshTokenStore;
import io.meshyauth.server.store.RotationOutcome;
import io.meshyauth.server.values.Scope;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Every change to a family's tokens happens in a transaction that first updates the family's row. On
 * PostgreSQL that update takes the row lock, so concurrent rotations of one family run one after the other
 * and each sees what the previous one committed (read committed takes a fresh snapshot per statement). On
 * SQLite the transaction holds the database's write lock from its start, which serialises them as well.
 */
final class JdbcRefreshTokenStore implements RefreshTokenStore {
  private final Database database;

  JdbcRefreshTokenStore(Database database) {
    this.database = database;
  }

  @Override
  public void saveRefreshToken(RefreshTokenRecord token) {
    if (!token.isLive()) {
      throw new IllegalArgumentException("only a token just minted can be saved; rotation stores successors");
    }
    database.write(connection -> {
      try (var statement = connection.prepareStatement("""
          INSERT INTO token_families (family_id, account_name, created_at) VALUES (?, ?, ?)
          ON CONFLICT (family_id) DO NOTHING
          """)) {
        statement.setString(1, token.familyId());
        statement.setString(2, token.accountName());
        statement.setLong(3, Rows.millis(token.issuedAt()));
        statement.executeUpdate();
      }
      insert(connection, token);
      return null;
    });
  }

  @Override
  public Optional<RefreshTokenRecord> findRefreshToken(String tokenHash) {
    return database.read(connection -> {
      try (var statement = connection.prepareStatement("""
          SELECT t.token_hash, t.family_id, t.account_name, t.client_id, t.user_id, t.scope, t.issued_at,
                 t.expires_at, t.family_expires_at, t.rotated_at, f.revoked_at
          FROM refresh_tokens t JOIN token_families f ON f.family_id = t.family_id
          WHERE t.token_hash = ?
          """)) {
        statement.setString(1, tokenHash);
        try (var rows = statement.executeQuery()) {
          if (!rows.next()) {
            return Optional.empty();
          }
          return Optional.of(new RefreshTokenRecord(rows.getString("token_hash"), rows.getString("family_id"),
              rows.getString("account_name"), rows.getString("client_id"), rows.getString("user_id"),
              Scope.parse(rows.getString("scope")), Rows.instant(rows, "issued_at"),
              Rows.instant(rows, "expires_at"), Rows.instant(rows, "family_expires_at"),
              Rows.optionalInstant(rows, "rotated_at"), Rows.optionalInstant(rows, "revoked_at").isPresent()));
        }
      }
    });
  }

  @Override
  public RotationOutcome rotate(String presentedHash, Optional<RefreshTokenRecord> successor, Instant now,
      Duration graceWindow) {
    if (graceWindow.isNegative()) {
      throw new IllegalArgumentException("graceWindow must not be negative");
    }
    if (successor.isPresent() && !successor.get().isLive()) {
      throw new IllegalArgumentException("a successor must be a token just minted");
    }
    return database.write(connection -> {
      var familyId = familyOf(connection, presentedHash);
      if (familyId.isEmpty()) {
        return RotationOutcome.NOT_FOUND;
      }
      if (successor.isPresent() && !successor.get().familyId().equals(familyId.get())) {
        throw new IllegalArgumentException("a successor must belong to the family of the token it replaces");
      }
      var familyRevoked = lockFamily(connection, familyId.get(), now);
      // read after the lock: sees what every rotation of the family before this one committed
      var token = rotationOf(connection, presentedHash);
      if (familyRevoked.isEmpty() || token.isEmpty()) {
        return RotationOutcome.NOT_FOUND; // deleted meanwhile, with its user or by a purge
      }
      if (familyRevoked.get()) {
        return RotationOutcome.REPLAYED;
      }
      var rotatedAt = token.get().rotatedAt();
      if (rotatedAt.isEmpty()) {
        markRotated(connection, presentedHash, now);
        insert(connection, successor);
        return RotationOutcome.ROTATED;
      }
      // the node that rotated it may have a clock ahead of this one: a rotation "in the future" was just now
      var sinceRotation = Duration.between(rotatedAt.get(), now);
      if (sinceRotation.isNegative()) {
        sinceRotation = Duration.ZERO;
      }
      if (sinceRotation.compareTo(graceWindow) < 0) {
        insert(connection, successor);
        return RotationOutcome.WITHIN_GRACE;
      }
      revoke(connection, familyId.get(), now);
      return RotationOutcome.REPLAYED;
    });
  }

  @Override
  public void revokeFamily(String familyId, Instant now) {
    database.write(connection -> {
      revoke(connection, familyId, now);
      return null;
    });
  }

  @Override
  public boolean isFamilyLive(String familyId) {
    return database.read(connection -> {
      try (var statement = connection.prepareStatement(
          "SELECT 1 FROM token_families WHERE family_id = ? AND revoked_at IS NULL")) {
        statement.setString(1, familyId);
        try (var rows = statement.executeQuery()) {
          return rows.next();
        }
      }
    });
  }

  @Override
  public int purgeExpired(Instant now) {
    // the tokens go by ON DELETE CASCADE
    return database.write(connection -> {
      try (var statement = connection.prepareStatement("""
          DELETE FROM token_families
          WHERE NOT EXISTS (SELECT 1 FROM refresh_tokens t
                            WHERE t.family_id = token_families.family_id AND t.expires_at > ?)
          """)) {
        statement.setLong(1, Rows.millis(now));
        return statement.executeUpdate();
      }
    });
  }

  private static Optional<String> familyOf(Connection connection, String tokenHash) throws SQLException {
    try (var statement = connection.prepareStatement("SELECT family_id FROM refresh_tokens WHERE token_hash = ?")) {
      statement.setString(1, tokenHash);
      try (var rows = statement.executeQuery()) {
        return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
      }
    }
  }

  /**
   * Records the presentation, which on PostgreSQL locks the family's row until commit. Whether the family is
   * revoked; empty when it is gone.
   */
  private static Optional<Boolean> lockFamily(Connection connection, String familyId, Instant now)
      throws SQLException {
    try (var statement = connection.prepareStatement(
        "UPDATE token_families SET last_used_at = ? WHERE family_id = ? RETURNING revoked_at")) {
      statement.setLong(1, Rows.millis(now));
      statement.setString(2, familyId);
      try (var rows = statement.executeQuery()) {
        return rows.next() ? Optional.of(Rows.optionalInstant(rows, "revoked_at").isPresent()) : Optional.empty();
      }
    }
  }

  private static Optional<Rotation> rotationOf(Connection connection, String tokenHash) throws SQLException {
    try (var statement = connection.prepareStatement("SELECT rotated_at FROM refresh_tokens WHERE token_hash = ?")) {
      statement.setString(1, tokenHash);
      try (var rows = statement.executeQuery()) {
        return rows.next() ? Optional.of(new Rotation(Rows.optionalInstant(rows, "rotated_at"))) : Optional.empty();
      }
    }
  }

  private static void markRotated(Connection connection, String tokenHash, Instant now) throws SQLException {
    try (var statement = connection.prepareStatement(
        "UPDATE refresh_tokens SET rotated_at = ? WHERE token_hash = ?")) {
      statement.setLong(1, Rows.millis(now));
      statement.setString(2, tokenHash);
      statement.executeUpdate();
    }
  }

  private static void revoke(Connection connection, String familyId, Instant now) throws SQLException {
    try (var statement = connection.prepareStatement(
        "UPDATE token_families SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL")) {
      statement.setLong(1, Rows.millis(now));
      statement.setString(2, familyId);
      statement.executeUpdate();
    }
  }

  private static void insert(Connection connection, Optional<RefreshTokenRecord> token) throws SQLException {
    if (token.isPresent()) {
      insert(connection, token.get());
    }
  }

  private static void insert(Connection connection, RefreshTokenRecord token) throws SQLException {
    try (var statement = connection.prepareStatement("""
        INSERT INTO refresh_tokens (token_hash, family_id, account_name, client_id, user_id, scope, issued_at,
                                    expires_at, family_expires_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)) {
      statement.setString(1, token.tokenHash());
      statement.setString(2, token.familyId());
      statement.setString(3, token.accountName());
      statement.setString(4, token.clientId());
      statement.setString(5, token.userId());
      statement.setString(6, token.scope().toString());
      statement.setLong(7, Rows.millis(token.issuedAt()));
      statement.setLong(8, Rows.millis(token.expiresAt()));
      statement.setLong(9, Rows.millis(token.familyExpiresAt()));
      statement.executeUpdate();
    }
  }

  private record Rotation(Optional<Instant> rotatedAt) {
  }
}
