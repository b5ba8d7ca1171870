package io.meshyauth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.meshyauth.server.store.PostgresBackend;
import io.meshyauth.server.store.SigningKey;
import io.meshyauth.server.store.StoreException;
import io.meshyauth.server.store.Stores;
import io.meshyauth.server.store.jdbc.JdbcStores;
import io.meshyauth.server.values.Password;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Private signing keys as the database holds them, read with plain JDBC past the store: encrypted, bound to their
 * rows, and useless without the key-encryption key file; on the SQLite file and on PostgreSQL.
 */
class KeysAtRestTest {
  private static final String ACCOUNT = "acme";

  @TempDir
  Path directory;

  /** A database as an operator has it: where it is, and the key file the server finds (or creates) for it. */
  record Database(String jdbcUrl, Optional<Path> keyFileSetting, Path keyFile, Optional<Path> sqliteFile) {
    Stores open() {
      return JdbcStores.open(jdbcUrl, keyFileSetting);
    }

    Connection connect() throws SQLException {
      return DriverManager.getConnection(jdbcUrl);
    }
  }

  enum Kind {
    /** The default: the key file beside the database, found without a setting. */
    SQLITE {
      @Override
      Database database(Path directory) {
        var file = directory.resolve("meshy-auth.db");
        return new Database("jdbc:sqlite:" + file, Optional.empty(), directory.resolve("meshy-auth.key"),
            Optional.of(file));
      }
    },
    POSTGRESQL {
      @Override
      Database database(Path directory) {
        var database = PostgresBackend.shared().newDatabase();
        return new Database(database.jdbcUrl(), Optional.of(database.keyFile()), database.keyFile(),
            Optional.empty());
      }
    };

    abstract Database database(Path directory);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void theRawStoreHoldsNoPrivateKeyInClear(Kind kind) throws Exception {
    var database = kind.database(directory);
    try (var server = start(database.open())) {
      server.provisioning().createAccount(ACCOUNT, "acme-key");
      server.provisioning().rotateSigningKey(ACCOUNT);
      server.provisioning().createUser(ACCOUNT, "alice", Password.of("alice password"));
      var token = login(server);
      var keys = server.stores().signingKeys().publishedSigningKeys(Optional.of(ACCOUNT), Instant.now());
      assertThat(keys).hasSize(2);
      assertThat(verifiesWithPublishedKey(server, token)).isTrue();

      // while the server runs: SQLite's recent pages are in the write-ahead log
      var raw = rawContent(database);
      var secrets = new ArrayList<String>();
      for (var key : keys) {
        secrets.add(key.privateJwk());
        secrets.add(ECKey.parse(key.privateJwk()).getD().toString());
      }
      secrets.add(keyEncryptionKey(database));
      assertThat(raw).contains(keys.get(0).kid()).contains(keys.get(0).publicJwk());
      assertThat(secrets).allSatisfy(secret -> assertThat(raw).doesNotContain(secret));
      assertThat(raw).doesNotContain("\"d\":\"");
      for (var row : rawPrivateKeys(database).entrySet()) {
        var jwe = JWEObject.parse(row.getValue());
        assertThat(jwe.getHeader().getAlgorithm()).isEqualTo(JWEAlgorithm.DIR);
        assertThat(jwe.getHeader().getEncryptionMethod()).isEqualTo(EncryptionMethod.A256GCM);
        assertThat(jwe.getHeader().getCustomParams()).containsEntry("signing_key", row.getKey());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void keysAnOlderVersionStoredInClearAreEncryptedAtTheNextStartAndKeepSigningAndVerifying(Kind kind)
      throws Exception {
    var database = kind.database(directory);
    var now = Instant.now();
    var accountKey = ecKey();
    var globalKey = ecKey();
    // the schema and the rows as the version before encryption left them
    Flyway.configure().dataSource(database.jdbcUrl(), null, null).locations("classpath:db/migration").target("2")
        .load().migrate();
    try (var connection = database.connect()) {
      execute(connection, "INSERT INTO accounts VALUES ('" + ACCOUNT + "', 'meshy.api offline_access openid', "
          + "3600000, 86400000, 86400000, 6000, FALSE)");
      execute(connection, "INSERT INTO clients VALUES ('" + ACCOUNT + "', 'acme-key')");
      insertClearKey(connection, accountKey, "'" + ACCOUNT + "'", now.minusSeconds(60), now.plus(Duration.ofDays(1)));
      insertClearKey(connection, globalKey, "NULL", now.minusSeconds(7200), now.minusSeconds(3600));
    }
    var signedBefore = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(accountKey.getKeyID()).build(),
        new JWTClaimsSet.Builder().subject("signed-before").build());
    signedBefore.sign(new ECDSASigner(accountKey));

    try (var server = start(database.open())) {
      var stored = rawPrivateKeys(database);
      assertThat(stored).containsOnlyKeys(accountKey.getKeyID(), globalKey.getKeyID());
      assertThat(stored.values()).allSatisfy(value -> {
        assertThat(value).doesNotStartWith("{").doesNotContain(accountKey.getD().toString())
            .doesNotContain(globalKey.getD().toString());
        assertThat(JWEObject.parse(value).getHeader().getAlgorithm()).isEqualTo(JWEAlgorithm.DIR);
      });
      assertThat(rawContent(database)).doesNotContain(accountKey.getD().toString())
          .doesNotContain(globalKey.getD().toString());

      var jwks = JWKSet.parse(new SpecCheckedHttp(server.baseUrl())
          .get("/" + ACCOUNT + "/.well-known/openid-configuration/jwks").response().body());
      assertThat(jwks.getKeys()).extracting(JWK::getKeyID)
          .containsExactlyInAnyOrder(accountKey.getKeyID(), globalKey.getKeyID());
      assertThat(signedBefore.verify(new ECDSAVerifier(jwks.getKeyByKeyId(accountKey.getKeyID()).toECKey())))
          .isTrue();
      // the decrypted key signs on
      server.provisioning().createUser(ACCOUNT, "alice", Password.of("alice password"));
      var token = SignedJWT.parse(login(server));
      assertThat(token.getHeader().getKeyID()).isEqualTo(accountKey.getKeyID());
      assertThat(token.verify(new ECDSAVerifier(accountKey.toPublicJWK()))).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aCiphertextMovedToAnotherRowIsRefused(Kind kind) throws Exception {
    var database = kind.database(directory);
    try (var stores = database.open()) {
      var provisioning = Provisioning.open(ServerConfig.defaults(), stores);
      provisioning.createAccount(ACCOUNT, "acme-key");
      provisioning.createAccount("mallory", "mallory-key");
      var acmeKid = kidOf(stores, ACCOUNT);
      var malloryKid = kidOf(stores, "mallory");
      try (var connection = database.connect()) {
        var rows = rawPrivateKeys(database);
        try (var update = connection.prepareStatement("UPDATE signing_keys SET private_jwk = ? WHERE kid = ?")) {
          update.setString(1, rows.get(acmeKid));
          update.setString(2, malloryKid);
          update.executeUpdate();
        }
      }

      assertThatThrownBy(() -> stores.signingKeys().activeSigningKeys(Optional.of("mallory"), Instant.now()))
          .isInstanceOf(StoreException.class).hasMessageContaining("another row");
      assertThat(stores.signingKeys().activeSigningKeys(Optional.of(ACCOUNT), Instant.now())).hasSize(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void withoutItsKeyFileOrWithAnotherTheStoreRefusesToOpenAndWithItOpensAgain(Kind kind) throws Exception {
    var database = kind.database(directory);
    try (var stores = database.open()) {
      Provisioning.open(ServerConfig.defaults(), stores).createAccount(ACCOUNT, "acme-key");
    }
    var original = Files.readAllBytes(database.keyFile());
    Files.delete(database.keyFile());

    assertThatThrownBy(database::open).isInstanceOf(StoreException.class)
        .hasMessageStartingWith("keys.encryption-key-file " + database.keyFile().toAbsolutePath() + " does not exist")
        .hasMessageContaining("restore");
    assertThat(database.keyFile()).as("not replaced by a new key").doesNotExist();

    Files.writeString(database.keyFile(), randomKey());
    assertThatThrownBy(database::open).isInstanceOf(StoreException.class)
        .hasMessageContaining("keys.encryption-key-file " + database.keyFile().toAbsolutePath() + " holds another");

    Files.write(database.keyFile(), original);
    try (var stores = database.open()) {
      assertThat(stores.signingKeys().activeSigningKeys(Optional.of(ACCOUNT), Instant.now())).hasSize(1);
    }
  }

  /**
   * Nodes (or a node and the CLI) starting at once on a store with clear keys and no key file yet: one key file
   * wins, every store agrees on it, and each clear key is encrypted once.
   */
  @ParameterizedTest
  @EnumSource(Kind.class)
  void storesOpeningTogetherAgreeOnOneKeyFileAndEncryptEachClearKeyOnce(Kind kind) throws Exception {
    var database = kind.database(directory);
    var now = Instant.now();
    var keys = new ArrayList<ECKey>();
    Flyway.configure().dataSource(database.jdbcUrl(), null, null).locations("classpath:db/migration").target("2")
        .load().migrate();
    try (var connection = database.connect()) {
      execute(connection, "INSERT INTO accounts VALUES ('" + ACCOUNT + "', 'meshy.api offline_access openid', "
          + "3600000, 86400000, 86400000, 6000, FALSE)");
      for (int i = 0; i < 20; i++) {
        var key = ecKey();
        keys.add(key);
        insertClearKey(connection, key, "'" + ACCOUNT + "'", now.minusSeconds(60 + i), now.plus(Duration.ofDays(1)));
      }
    }
    // the newest schema, so that the stores race on the keys rather than on Flyway's first migration
    JdbcStores.migrate(database.jdbcUrl());

    int nodes = 8;
    var start = new CountDownLatch(1);
    var executor = Executors.newFixedThreadPool(nodes);
    var opened = new ArrayList<Future<Stores>>();
    try {
      for (int i = 0; i < nodes; i++) {
        opened.add(executor.submit(() -> {
          start.await();
          return database.open();
        }));
      }
      start.countDown();
      for (var future : opened) {
        try (var stores = future.get()) {
          assertThat(stores.signingKeys().publishedSigningKeys(Optional.of(ACCOUNT), now)).hasSize(keys.size());
        }
      }
    } finally {
      executor.shutdownNow();
    }

    var stored = rawPrivateKeys(database);
    assertThat(stored).hasSize(keys.size());
    assertThat(stored.values()).allSatisfy(value -> assertThat(value).startsWith("eyJ"));
    try (var stores = database.open()) {
      var published = stores.signingKeys().publishedSigningKeys(Optional.of(ACCOUNT), now);
      assertThat(published).extracting(SigningKey::privateJwk)
          .containsExactlyInAnyOrderElementsOf(keys.stream().map(ECKey::toJSONString).toList());
    }
  }

  static String randomKey() {
    var bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes) + "\n";
  }

  private static MeshyAuthServer start(Stores stores) {
    return MeshyAuthServer.start(ServerConfig.defaults().withPort(0).withArgon2(TestServer.FAST_ARGON2)
        .withShutdownGrace(Duration.ZERO), stores);
  }

  private static String login(MeshyAuthServer server) {
    var answer = new SpecCheckedHttp(server.baseUrl()).postForm("/" + ACCOUNT + "/connect/token", Map.of(
        "client_id", "acme-key", "grant_type", "password", "username", "alice", "password", "alice password"));
    assertThat(answer.status()).isEqualTo(200);
    return answer.text("access_token");
  }

  private static boolean verifiesWithPublishedKey(MeshyAuthServer server, String token) throws Exception {
    var jwt = SignedJWT.parse(token);
    var jwks = JWKSet.parse(new SpecCheckedHttp(server.baseUrl())
        .get("/" + ACCOUNT + "/.well-known/openid-configuration/jwks").response().body());
    return jwt.verify(new ECDSAVerifier(jwks.getKeyByKeyId(jwt.getHeader().getKeyID()).toECKey()));
  }

  private static String kidOf(Stores stores, String account) {
    return stores.signingKeys().activeSigningKeys(Optional.of(account), Instant.now()).stream()
        .filter(key -> key.accountName().equals(Optional.of(account))).map(SigningKey::kid).findFirst().orElseThrow();
  }

  /** private_jwk by kid, as the database holds it. */
  private static Map<String, String> rawPrivateKeys(Database database) throws SQLException {
    var keys = new LinkedHashMap<String, String>();
    try (var connection = database.connect(); var statement = connection.createStatement();
        var rows = statement.executeQuery("SELECT kid, private_jwk FROM signing_keys")) {
      while (rows.next()) {
        keys.put(rows.getString(1), rows.getString(2));
      }
    }
    return keys;
  }

  /**
   * Everything the database holds, as text: every row of every table through JDBC, and for SQLite also the raw
   * bytes of the database file and of its write-ahead log.
   */
  static String rawContent(Database database) throws Exception {
    var content = new StringBuilder();
    try (var connection = database.connect()) {
      var tables = new ArrayList<String>();
      try (var rows = connection.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
        while (rows.next()) {
          tables.add(rows.getString("TABLE_NAME"));
        }
      }
      assertThat(tables).contains("signing_keys");
      for (var table : tables) {
        try (var statement = connection.createStatement(); var rows = statement.executeQuery("SELECT * FROM " + table)) {
          while (rows.next()) {
            for (int column = 1; column <= rows.getMetaData().getColumnCount(); column++) {
              content.append(rows.getString(column)).append('\n');
            }
          }
        }
      }
    }
    if (database.sqliteFile().isPresent()) {
      var file = database.sqliteFile().get();
      var bytes = new ByteArrayOutputStream();
      bytes.write(Files.readAllBytes(file));
      var wal = Path.of(file + "-wal");
      if (Files.exists(wal)) {
        bytes.write(Files.readAllBytes(wal));
      }
      content.append(bytes.toString(StandardCharsets.ISO_8859_1));
    }
    return content.toString();
  }

  static String keyEncryptionKey(Database database) throws Exception {
    return Files.readString(database.keyFile()).strip();
  }

  private static ECKey ecKey() throws Exception {
    return new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).keyUse(KeyUse.SIGNATURE)
        .algorithm(JWSAlgorithm.ES256).generate();
  }

  private static void insertClearKey(Connection connection, ECKey key, String account, Instant createdAt,
      Instant retireAfter) throws SQLException {
    try (var insert = connection.prepareStatement("INSERT INTO signing_keys (kid, account_name, algorithm, "
        + "private_jwk, public_jwk, created_at, retire_after, not_after) VALUES (?, " + account + ", 'ES256', ?, ?, ?, "
        + "?, ?)")) {
      insert.setString(1, key.getKeyID());
      insert.setString(2, key.toJSONString());
      insert.setString(3, key.toPublicJWK().toJSONString());
      insert.setLong(4, createdAt.toEpochMilli());
      insert.setLong(5, retireAfter.toEpochMilli());
      insert.setLong(6, retireAfter.plus(Duration.ofHours(2)).toEpochMilli());
      insert.executeUpdate();
    }
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (var statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
