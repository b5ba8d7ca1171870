package io.meshyauth.server.store.jdbc;

import io.meshyauth.server.store.DuplicateException;
import io.meshyauth.server.store.NotFoundException;
import io.meshyauth.server.store.SigningKey;
import io.meshyauth.server.store.SigningKeyStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

final class JdbcSigningKeyStore implements SigningKeyStore {
  // a NULL account parameter matches no account's keys, leaving the keys of every account
  private static final String SELECT = """
      SELECT kid, account_name, algorithm, private_jwk, public_jwk, created_at, retire_after, not_after
      FROM signing_keys
      WHERE (account_name = ? OR account_name IS NULL)
      """;

  private final Database database;

  JdbcSigningKeyStore(Database database) {
    this.database = database;
  }

  @Override
  public void saveSigningKey(SigningKey key) {
    database.write(connection -> {
      try (var statement = connection.prepareStatement("""
          INSERT INTO signing_keys (kid, account_name, algorithm, private_jwk, public_jwk, created_at, retire_after,
                                    not_after)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (kid) DO NOTHING
          """)) {
        statement.setString(1, key.kid());
        Rows.setOptionalString(statement, 2, key.accountName());
        statement.setString(3, key.algorithm());
        statement.setString(4, key.privateJwk());
        statement.setString(5, key.publicJwk());
        statement.setLong(6, Rows.millis(key.createdAt()));
        statement.setLong(7, Rows.millis(key.retireAfter()));
        statement.setLong(8, Rows.millis(key.notAfter()));
        if (statement.executeUpdate() == 0) {
          throw new DuplicateException("signing key " + key.kid() + " exists");
        }
      }
      return null;
    });
  }

  @Override
  public List<SigningKey> activeSigningKeys(Optional<String> accountName, Instant now) {
    return list(SELECT + " AND created_at <= ? AND retire_after > ?", accountName, now, now);
  }

  @Override
  public List<SigningKey> publishedSigningKeys(Optional<String> accountName, Instant now) {
    return list(SELECT + " AND not_after > ?", accountName, now);
  }

  @Override
  public void retireSigningKey(String kid, Instant retireAfter, Instant notAfter) {
    if (notAfter.isBefore(retireAfter)) {
      throw new IllegalArgumentException("a key must stay published (notAfter) at least until it retires");
    }
    database.write(connection -> {
      try (var statement = connection.prepareStatement(
          "UPDATE signing_keys SET retire_after = ?, not_after = ? WHERE kid = ?")) {
        statement.setLong(1, Rows.millis(retireAfter));
        statement.setLong(2, Rows.millis(notAfter));
        statement.setString(3, kid);
        if (statement.executeUpdate() == 0) {
          throw new NotFoundException("no signing key " + kid);
        }
      }
      return null;
    });
  }

  private List<SigningKey> list(String sql, Optional<String> accountName, Instant... instants) {
    return database.read(connection -> {
      try (var statement = connection.prepareStatement(sql)) {
        Rows.setOptionalString(statement, 1, accountName);
        for (int i = 0; i < instants.length; i++) {
          statement.setLong(i + 2, Rows.millis(instants[i]));
        }
        try (var rows = statement.executeQuery()) {
          var keys = new ArrayList<SigningKey>();
          while (rows.next()) {
            keys.add(key(rows));
          }
          keys.sort(Comparator.comparing(SigningKey::createdAt).thenComparing(SigningKey::kid).reversed());
          return keys;
        }
      }
    });
  }

  private static SigningKey key(ResultSet rows) throws SQLException {
    return new SigningKey(rows.getString("kid"), Rows.optionalString(rows, "account_name"),
        rows.getString("algorithm"), rows.getString("private_jwk"), rows.getString("public_jwk"),
        Rows.instant(rows, "created_at"), Rows.instant(rows, "retire_after"), Rows.instant(rows, "not_after"));
  }
}
