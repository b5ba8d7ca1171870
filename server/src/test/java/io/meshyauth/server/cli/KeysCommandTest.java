package io.meshyauth.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWEObject;
import io.meshyauth.server.config.SettingKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysCommandTest {
  @TempDir
  Path directory;

  private Cli cli;

  @BeforeEach
  void createAccount() {
    cli = Cli.in(directory);
    assertThat(cli.run("accounts", "create", "acme", "--client-id", "acme-key").exitCode()).isZero();
  }

  private List<String[]> listedKeys() {
    var listed = cli.run("keys", "list", "acme");
    assertThat(listed.exitCode()).isZero();
    var lines = listed.out().lines().toList();
    assertThat(lines.get(0).split(" +")).containsExactly("KID", "STATUS", "CREATED", "RETIRE-AFTER", "NOT-AFTER");
    return lines.stream().skip(1).map(line -> line.split(" +")).toList();
  }

  @Test
  void newAccountHasOneKeyThatSigns() {
    assertThat(listedKeys()).singleElement().satisfies(key -> assertThat(key[1]).isEqualTo("signing"));
  }

  @Test
  void rotationAddsAKeyThatSignsAndKeepsTheOldOnePublished() {
    var oldKid = listedKeys().get(0)[0];

    var rotated = cli.run("keys", "rotate", "acme");

    assertThat(rotated.exitCode()).isZero();
    assertThat(rotated.out()).startsWith("rotated the signing key of account acme: new key ");
    var newKid = rotated.out().strip().substring(rotated.out().lastIndexOf(' ') + 1);
    var keys = listedKeys();
    assertThat(keys).hasSize(2);
    assertThat(keys.get(0)).startsWith(newKid, "signing");
    assertThat(keys.get(1)).startsWith(oldKid, "published");
    // the old key retires now, and stays published for as long as the tokens it signed are valid
    assertThat(keys.get(1)[3]).isEqualTo(keys.get(0)[2]);
  }

  @Test
  void rotatedKeysAreBothInTheJwkSetAServerPublishes() {
    cli.run("keys", "rotate", "acme");
    var kids = listedKeys().stream().map(key -> key[0]).toList();
    assertThat(kids).hasSize(2);

    try (var server = LoginServer.start(cli)) {
      var jwks = server.get("/acme/.well-known/openid-configuration/jwks");
      assertThat(jwks.status()).isEqualTo(200);
      assertThat(jwks.json().path("keys").findValuesAsText("kid")).containsExactlyInAnyOrderElementsOf(kids);
    }
  }

  @Test
  void listShowsNoPrivateKey() {
    var listed = cli.run("keys", "list", "acme");

    assertThat(listed.out()).doesNotContain("\"d\"").doesNotContain("{");
  }

  @Test
  void keysTheCommandsCreateAreStoredEncryptedWithTheKeyFileBesideTheStore() throws Exception {
    cli.run("keys", "rotate", "acme");

    var keyFile = directory.resolve("meshy-auth.key");
    assertThat(keyFile).exists();
    try (var connection = DriverManager.getConnection(cli.storeUrl());
        var statement = connection.createStatement();
        var rows = statement.executeQuery("SELECT kid, private_jwk FROM signing_keys")) {
      int keys = 0;
      while (rows.next()) {
        keys++;
        var jwe = JWEObject.parse(rows.getString("private_jwk"));
        assertThat(jwe.getHeader().getCustomParams()).containsEntry("signing_key", rows.getString("kid"));
        assertThat(rows.getString("private_jwk")).doesNotContain("\"d\"");
      }
      assertThat(keys).isEqualTo(2);
    }
  }

  @Test
  void withoutTheKeyFileOfTheStoresKeysEveryCommandFailsWithOneLineNamingTheSetting() throws Exception {
    var keyFile = directory.resolve("meshy-auth.key");
    Files.delete(keyFile);

    for (var command : new String[] {"rotate", "list"}) {
      var result = cli.run("keys", command, "acme");

      assertThat(result.exitCode()).as(command).isEqualTo(1);
      assertThat(result.err()).as(command).startsWith("meshy-auth: keys.encryption-key-file " + keyFile
          + " does not exist, but the store's private signing keys are encrypted with the key it held").hasLineCount(1);
      assertThat(keyFile).doesNotExist();
    }
  }

  @Test
  void aKeyFileElsewhereIsUsedWhenTheSettingNamesIt() throws Exception {
    var elsewhere = directory.resolve("secrets").resolve("store.key");
    Files.createDirectories(elsewhere.getParent());
    var moved = Cli.in(directory, Map.of(SettingKeys.KEY_ENCRYPTION_KEY_FILE, elsewhere.toString()));
    Files.move(directory.resolve("meshy-auth.key"), elsewhere);

    var rotated = moved.run("keys", "rotate", "acme");

    assertThat(rotated.exitCode()).as(rotated.err()).isZero();
    assertThat(moved.run("keys", "list", "acme").out().lines()).hasSize(3);
    assertThat(directory.resolve("meshy-auth.key")).as("no new key beside the store").doesNotExist();
  }

  @Test
  void aPostgresqlStoreWithoutAKeyFileIsAUsageError() {
    var result = Cli.runAsIs("keys", "list", "acme", "--store", "jdbc:postgresql://127.0.0.1:1/meshy");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).startsWith("meshy-auth: setting keys.encryption-key-file must be set when store.url is "
        + "PostgreSQL").hasLineCount(1);
  }

  @Test
  void unknownAccountFailsWithExitOne() {
    for (var command : new String[] {"rotate", "list"}) {
      var result = cli.run("keys", command, "nobody");

      assertThat(result.exitCode()).as(command).isEqualTo(1);
      assertThat(result.err()).as(command).isEqualTo("meshy-auth: no account nobody\n");
    }
  }
}
