package io.meshyauth.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWEObject;
import io.meshyauth.server.config.SettingKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysCommandTest {
  private static final Pattern NEW_KEY = Pattern.compile("new key (\\S+) is published now and signs from (\\S+) ");
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
    assertThat(lines.get(0).split(" +")).containsExactly("KID", "STATUS", "SIGNS-FROM", "RETIRE-AFTER", "NOT-AFTER");
    return lines.stream().skip(1).map(line -> line.split(" +")).toList();
  }

  @Test
  void newAccountHasOneKeyThatSigns() {
    assertThat(listedKeys()).singleElement().satisfies(key -> assertThat(key[1]).isEqualTo("signing"));
  }

  @Test
  void rotationPublishesANewKeyThatSignsOnceCachedJwkSetsHaveItAndSaysWhen() {
    var oldKid = listedKeys().get(0)[0];

    var rotated = cli.run("keys", "rotate", "acme");

    assertThat(rotated.exitCode()).isZero();
    var said = NEW_KEY.matcher(rotated.out());
    assertThat(said.find()).as(rotated.out()).isTrue();
    var newKid = said.group(1);
    assertThat(rotated.out()).contains("is published now and signs from " + said.group(2) + " (in 90 s: the JWK set "
        + "is cached for up to 60 s, plus 30 s of margin)").contains("key " + oldKid + " signs until then");
    var keys = listedKeys();
    assertThat(keys).hasSize(2);
    assertThat(keys.get(0)).startsWith(newKid, "next", said.group(2));
    assertThat(keys.get(1)).startsWith(oldKid, "signing");
    // the old key signs until the new one starts, and stays published for as long as the tokens it signed live
    assertThat(keys.get(1)[3]).isEqualTo(said.group(2));
    assertThat(Instant.parse(keys.get(1)[4])).isEqualTo(Instant.parse(said.group(2)).plus(Duration.ofHours(1)));
  }

  @Test
  void rotatingNowSignsWithTheNewKeyAtOnceWithdrawsTheOldOneAndWarnsLoudly() {
    var oldKid = listedKeys().get(0)[0];

    var rotated = cli.run("keys", "rotate", "acme", "--now");

    assertThat(rotated.exitCode()).isZero();
    assertThat(rotated.out()).startsWith("rotated the signing key of account acme: new key ").endsWith(" signs now\n");
    assertThat(rotated.err()).contains("WARNING: key " + oldKid + " left the JWK set now: every access token it "
        + "signed stops verifying at once");
    assertThat(listedKeys()).singleElement().satisfies(key -> assertThat(key[1]).isEqualTo("signing"));
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
