package io.meshyauth.server.store.jdbc;

import io.meshyauth.server.store.DuplicateException;
import io.meshyauth.server.store.NotFoundException;
import io.meshyauth.server.store.SigningKey;
import io.meshyauth.server.store.SigningKeyStore;
import io.meshyauth.server.store.StoreException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Private keys are encrypted on the way in and decrypted on the way out (see {@link KeyEncryptionKey}). */
final class JdbcSigningKeyStore implements SigningKeyStore {
  // a NULL account parameter matches no account's keys, leaving the keys of every account
  private static final String SELECT = """
      SELECT kid, account_name, algorithm, private_jwk, public_jwk, created_at, retire_after, not_after
      FROM signing_keys
      WHERE (account_name = ? OR account_name IS NULL)
      """;
  private static final String RECORDED_KEY = "SELECT thumbprint FROM key_encryption_key WHERE id = 1";
  private static final Logger LOG = LoggerFactory.getLogger(JdbcSigningKeyStore.class);

  private final Database database;
  private final KeyEncryptionKey encryption;

  private JdbcSigningKeyStore(Database database, KeyEncryptionKey encryption) {
    this.database = database;
    this.encryption = encryption;
  }

  /** The thumbprint of the key-encryption key the store's private keys are encrypted with, once there is one. */
  static Optional<String> recordedKeyEncryptionKey(Database database) {
    return database.read(connection -> {
      try (var statement = connection.createStatement(); var rows = statement.executeQuery(RECORDED_KEY)) {
        return rows.next() ? Optional.of(rows.getString(1)) : Optional.<String>empty();
      }
    });
  }

  /**
   * The store on {@code database} with {@code encryption}, which becomes the store's key-encryption key unless it
   * has one already; if that is another key, a {@link StoreException} saying so, {@code source} naming where
   * ours came from. Keys an older version stored in clear are encrypted now.
   */
  static JdbcSigningKeyStore open(Database database, KeyEncryptionKey encryption, String source) {
    String recorded = database.write(connection -> {
      try (var insert = connection.prepareStatement("""
          INSERT INTO key_encryption_key (id, thumbprint, created_at) VALUES (1, ?, ?)
          ON CONFLICT (id) DO NOTHING
          """)) {
        insert.setString(1, encryption.thumbprint());
        insert.setLong(2, System.currentTimeMillis());
        insert.executeUpdate();
      }
      try (var statement = connection.createStatement(); var rows = statement.executeQuery(RECORDED_KEY)) {
        rows.next();
        return rows.getString(1);
      }
    });
    if (!recorded.equals(encryption.thumbprint())) {
      throw new StoreException("the store's private signing keys are encrypted with key-encryption key " + recorded
          + ", but " + source + " holds another (" + encryption.thumbprint() + "): every node needs the same "
          + "file; restore the right one from a backup");
    }
    var store = new JdbcSigningKeyStore(database, encryption);
    store.encryptKeysStoredInClear();
    return store;
  }

  /**
   * Encrypts every private key an older version stored in clear, each only while it still holds the clear value
   * read, so that nodes starting together leave one ciphertext per key.
   */
  private void encryptKeysStoredInClear() {
    int encrypted = database.write(connection -> {
      record Clear(String kid, Optional<String> accountName, String privateJwk) {
      }
      var clear = new ArrayList<Clear>();
      try (var statement = connection.prepareStatement(
          "SELECT kid, account_name, private_jwk FROM signing_keys WHERE private_jwk LIKE '{%'");
          var rows = statement.executeQuery()) {
        while (rows.next()) {
          clear.add(new Clear(rows.getString("kid"), Rows.optionalString(rows, "account_name"),
              rows.getString("private_jwk")));
        }
      }
      if (clear.isEmpty()) {
        return 0;
      }
      // SQLite leaves what an update replaces in the page's free space unless told to zero it
      secureDelete(connection, true);
      int count = 0;
      try (var update = connection.prepareStatement(
          "UPDATE signing_keys SET private_jwk = ? WHERE kid = ? AND private_jwk = ?")) {
        for (var key : clear) {
          update.setString(1, encryption.encrypt(key.privateJwk(), key.kid(), key.accountName()));
          update.setString(2, key.kid());
          update.setString(3, key.privateJwk());
          count += update.executeUpdate();
        }
      } finally {
        secureDelete(connection, false);
      }
      return count;
    });
    if (encrypted > 0) {
      checkpoint();
      LOG.info("encrypted {} private signing keys that were stored in clear; they were readable in clear to "
          + "whoever had the database or a backup of it: rotate them (keys rotate ACCOUNT)", encrypted);
    }
  }

  private void secureDelete(Connection connection, boolean on) throws SQLException {
    if (database.dialect() == Dialect.SQLITE) {
      try (var statement = connection.createStatement()) {
        statement.execute("PRAGMA secure_delete = " + (on ? "ON" : "OFF"));
      }
    }
  }

  /**
   * Copies SQLite's log into the database file and empties it, so that the pages that held the clear keys are
   * overwritten there and gone from the log. PostgreSQL keeps old row versions until it reuses their space.
   */
  private void checkpoint() {
    if (database.dialect() == Dialect.SQLITE) {
      database.read(connection -> {
        try (var statement = connection.createStatement();
            var rows = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
          if (rows.next() && rows.getInt(1) != 0) {
            LOG.warn("could not checkpoint the store's write-ahead log after encrypting the signing keys: "
                + "another process is using it; the next checkpoint will");
          }
        }
        return null;
      });
    }
  }

  @Override
  public void saveSigningKey(SigningKey key) {
    var encrypted = encryption.encrypt(key.privateJwk(), key.kid(), key.accountName());
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
        statement.setString(4, encrypted);
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

  private SigningKey key(ResultSet rows) throws SQLException {
    var kid = rows.getString("kid");
    var accountName = Rows.optionalString(rows, "account_name");
    var stored = rows.getString("private_jwk");
    // clear: written by a node of an older version still running; the next start of this one encrypts it
    var privateJwk = KeyEncryptionKey.isClear(stored) ? stored : encryption.decrypt(stored, kid, accountName);
    return new SigningKey(kid, accountName, rows.getString("algorithm"), privateJwk, rows.getString("public_jwk"),
        Rows.instant(rows, "created_at"), Rows.instant(rows, "retire_after"), Rows.instant(rows, "not_after"));
  }
}
