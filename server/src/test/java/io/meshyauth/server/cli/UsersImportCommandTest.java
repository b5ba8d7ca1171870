package io.meshyauth.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshyauth.server.password.Argon2PasswordHasher;
import io.meshyauth.server.password.Argon2PasswordHasher.Argon2Parameters;
import io.meshyauth.server.values.Password;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code users import}: MeshyDB users with the hashes other systems made, real ones made here the way each system
 * makes them, log in to a real server on the store, and have their hash replaced with Argon2id as they do.
 */
class UsersImportCommandTest {
  private static final String ACCOUNT = "acme";
  private static final String CLIENT_ID = "acme-key";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  /** What the Cli's settings file configures: what every successful login leaves behind. */
  private static final String CONFIGURED_ARGON2 = "$argon2id$v=19$m=1024,t=1,p=1$";

  /** One password and one real hash of it per format; many users share them. */
  private static final List<Format> FORMATS = List.of(
      new Format("ASP.NET Core Identity V2", "v2 password", aspNetV2("v2 password")),
      new Format("V3 HMAC-SHA1", "v3 sha1 password", aspNetV3(0, "PBKDF2WithHmacSHA1", 10_000, "v3 sha1 password")),
      new Format("V3 HMAC-SHA256", "v3 sha256 pässword", aspNetV3(1, "PBKDF2WithHmacSHA256", 10_000,
          "v3 sha256 pässword")),
      new Format("V3 HMAC-SHA512", "v3 sha512 password", aspNetV3(2, "PBKDF2WithHmacSHA512", 100_000,
          "v3 sha512 password")),
      new Format("bcrypt $2a$", "2a password", bcrypt("2a", "2a password")),
      new Format("bcrypt $2b$", "2b password", bcrypt("2b", "2b password")),
      new Format("bcrypt $2y$", "2y password", bcrypt("2y", "2y password")),
      new Format("Argon2id of other parameters", "argon2 password", argon2("argon2 password")));

  @TempDir
  Path directory;

  private Cli cli;

  @BeforeEach
  void createAccount() {
    cli = Cli.in(directory);
    assertThat(cli.run("accounts", "create", ACCOUNT, "--client-id", CLIENT_ID).exitCode()).isZero();
  }

  @Test
  void tenThousandUsersImportAndOneOfEachFormatLogsInAndIsRehashedToArgon2id() throws Exception {
    var lines = new ArrayList<String>();
    for (int i = 0; i < 10_000; i++) {
      lines.add(i % 1000 == 999 ? line(Map.of("username", "device-" + i, "anonymous", true))
          : line(user(i, FORMATS.get(i % FORMATS.size()))));
    }

    var imported = importFile(lines);

    assertThat(imported.exitCode()).as(imported.err()).isZero();
    assertThat(imported.out()).isEqualTo("imported 10000 users into account acme; skipped none\n");
    assertThat(imported.err()).isEqualTo("read 10000 lines (100%): 10000 imported, 0 skipped\n");
    try (var server = LoginServer.start(cli)) {
      for (int i = 0; i < FORMATS.size(); i++) {
        var format = FORMATS.get(i);
        var username = username(i);
        var before = storedHash(server, username);

        var first = server.login(ACCOUNT, CLIENT_ID, username, format.password());

        assertThat(first.status()).as(format.name()).isEqualTo(200);
        assertThat(claims(first.text("access_token")).get("role").toString()).isEqualTo("[\"member\"]");
        assertThat(before).as(format.name()).isEqualTo(format.hash());
        assertThat(storedHash(server, username)).as(format.name()).startsWith(CONFIGURED_ARGON2);
        assertThat(server.login(ACCOUNT, CLIENT_ID, username, format.password()).status()).isEqualTo(200);
        // another user of the format, untouched: a wrong password is refused and leaves its hash as it was
        var other = username(i + FORMATS.size());
        assertThat(server.login(ACCOUNT, CLIENT_ID, other, format.password() + "!").text("error"))
            .isEqualTo("invalid_grant");
        assertThat(storedHash(server, other)).isEqualTo(format.hash());
      }
      assertThat(server.login(ACCOUNT, CLIENT_ID, "device-999", "nopassword").status()).isEqualTo(200);
    }
  }

  @Test
  void profilesAndFlagsArriveAsMeshyDbHasThem() throws Exception {
    var bcrypt = FORMATS.get(4);
    var alice = Map.<String, Object>ofEntries(Map.entry("username", "Alice"), Map.entry("firstName", "Alice"),
        Map.entry("lastName", "Liddell"), Map.entry("isActive", true), Map.entry("verified", false),
        Map.entry("passwordHash", bcrypt.hash()), Map.entry("roles", List.of(
            Map.of("name", "admin", "addedDate", "2019-06-01T12:00:00.1234567Z"), Map.of("name", "editor"))),
        // MeshyDB's, not kept
        Map.entry("id", "5cf2a4c3e1b2"), Map.entry("emailAddress", "alice@example.com"),
        Map.entry("phoneNumber", "555"), Map.entry("securityQuestions", List.of()));
    var bob = Map.<String, Object>of("username", "bob", "isActive", false, "passwordHash", bcrypt.hash());

    var imported = importFile(List.of(line(alice), line(bob)));

    assertThat(imported.exitCode()).as(imported.err()).isZero();
    try (var server = LoginServer.start(cli)) {
      var stored = server.stores().users().findUser(ACCOUNT, "alice").orElseThrow();
      assertThat(stored.username()).isEqualTo("Alice");
      assertThat(stored.verified()).isFalse();
      assertThat(stored.profile().roles()).extracting(role -> role.name() + " " + role.addedAt())
          .containsExactly("admin 2019-06-01T12:00:00.123Z", "editor " + stored.createdAt());
      var claims = claims(server.login(ACCOUNT, CLIENT_ID, "alice", bcrypt.password()).text("access_token"));
      assertThat(claims.get("given_name").asText()).isEqualTo("Alice");
      assertThat(claims.get("family_name").asText()).isEqualTo("Liddell");
      assertThat(claims.get("role").toString()).isEqualTo("[\"admin\",\"editor\"]");
      assertThat(server.login(ACCOUNT, CLIENT_ID, "bob", bcrypt.password()).text("error_description"))
          .isEqualTo("User is no longer active.");
    }
  }

  @Test
  void badLinesAreReportedWithTheirNumbersAndSkippedWithoutQuotingAHash() throws Exception {
    var v2 = FORMATS.get(0);
    var lines = List.of(
        line(user(0, v2)),
        "{\"username\": \"broken\", \"passwordHash\": \"" + v2.hash() + "\"",
        "[\"not\", \"an\", \"object\"]",
        line(Map.of("username", "carol", "passwordHash", v2.hash(), "isactive", false)),
        line(Map.of("username", "dave", "passwordHash", v2.hash(), "isActive", "yes")),
        line(Map.of("username", "  ", "passwordHash", v2.hash())),
        line(Map.of("username", "erin")),
        line(Map.of("username", "frank", "passwordHash", "plain text password")),
        line(Map.of("username", "grace", "passwordHash", "$2a$15$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW")),
        "",
        line(Map.of("username", "device", "anonymous", true, "passwordHash", v2.hash())),
        line(Map.of("username", "heidi", "passwordHash", v2.hash(), "roles", List.of(" admin"))),
        line(Map.of("username", "ivan", "passwordHash", v2.hash(), "roles", List.of(Map.of("name", "admin",
            "addedDate", "yesterday")))),
        "{\"username\": \"judy\", \"username\": \"mallory\", \"passwordHash\": \"" + v2.hash() + "\"}",
        line(Map.of(v2.hash(), "a hash as a key")),
        line(user(1, v2)));

    var imported = importFile(lines);

    assertThat(imported.exitCode()).isEqualTo(1);
    assertThat(imported.err().lines()).containsExactly(
        "line 2: malformed: not valid JSON (column 110)",
        "line 3: malformed: not a JSON object",
        "line 4: malformed: unknown field \"isactive\"",
        "line 5: malformed: \"isActive\" is not true or false",
        "line 6: malformed: \"username\" is blank",
        "line 7: malformed: \"passwordHash\" is missing",
        "line 8: unknown hash format: the passwordHash of frank is neither ASP.NET Core Identity V2 or V3, bcrypt "
            + "($2a$, $2b$, $2y$) nor an Argon2 PHC string",
        "line 9: hash over the cost limits: the passwordHash of grace: bcrypt cost 15 is over the limit of 14",
        "line 11: malformed: an anonymous user has no \"passwordHash\"",
        "line 12: malformed: \"roles\" holds a blank name or one with white space around it",
        "line 13: malformed: \"addedDate\" of a role is not an ISO-8601 date and time",
        "line 14: malformed: not valid JSON (column 32)",
        "line 15: malformed: an unknown field",
        "meshy-auth: 13 lines were skipped (listed above)");
    assertThat(imported.out()).isEqualTo("imported 2 users into account acme; skipped 13: 11 malformed, "
        + "1 unknown hash format, 1 hash over the cost limits\n");
    assertThat(imported.all()).doesNotContain(v2.hash().substring(4, 20), "plain text", "$2a$15$");
    assertThat(listedUsernames()).containsExactly(username(0), username(1));
  }

  @Test
  void aUsernameTheFileHasTwiceIsImportedFromItsFirstLineOnly() throws Exception {
    var v2 = FORMATS.get(0);
    var bcrypt = FORMATS.get(4);
    var lines = List.of(
        line(Map.of("username", "alice", "passwordHash", v2.hash())),
        line(Map.of("username", "bob", "passwordHash", v2.hash())),
        line(Map.of("username", " ALICE", "passwordHash", bcrypt.hash())));

    var imported = importFile(lines);

    assertThat(imported.exitCode()).isEqualTo(1);
    assertThat(imported.err()).startsWith("line 3: duplicate: username ALICE is on line 1 already\n");
    assertThat(imported.out()).isEqualTo("imported 2 users into account acme; skipped 1: 1 duplicate\n");
    try (var server = LoginServer.start(cli)) {
      assertThat(server.login(ACCOUNT, CLIENT_ID, "alice", v2.password()).status()).isEqualTo(200);
    }
  }

  @Test
  void aDryRunReportsWhatAnImportWouldDoAndWritesNothing() throws Exception {
    var v2 = FORMATS.get(0);
    var lines = List.of(line(user(0, v2)), "not json", line(user(1, v2)), line(user(0, v2)));

    var dryRun = importFile(lines, "--dry-run");

    assertThat(dryRun.exitCode()).isEqualTo(1);
    assertThat(dryRun.out()).isEqualTo("dry run, nothing written: would import 2 users into account acme; "
        + "would skip 2: 1 malformed, 1 duplicate\n");
    assertThat(dryRun.err()).startsWith("line 2: malformed: not valid JSON (column 1)\n"
        + "line 4: duplicate: username " + username(0) + " is on line 1 already\n");
    assertThat(listedUsernames()).isEmpty();
    assertThat(importFile(lines).out()).isEqualTo(
        "imported 2 users into account acme; skipped 2: 1 malformed, 1 duplicate\n");
  }

  @Test
  void runningAnImportAgainSkipsTheUsersItImportedAndReportsUsernamesTakenByOthers() throws Exception {
    var v2 = FORMATS.get(0);
    var half = new ArrayList<String>();
    var all = new ArrayList<String>();
    for (int i = 0; i < 1200; i++) {
      all.add(line(user(i, v2)));
      if (i < 600) {
        half.add(line(user(i, v2)));
      }
    }
    all.add(line(Map.of("username", "device-1", "anonymous", true)));
    all.add(line(Map.of("username", "taken", "passwordHash", v2.hash())));
    assertThat(importFile(half).exitCode()).isZero();
    assertThat(cli.runWithStdin("another password\n", "users", "create", ACCOUNT, "taken").exitCode()).isZero();

    var resumed = importFile(all);

    assertThat(resumed.exitCode()).isEqualTo(1);
    assertThat(resumed.out()).isEqualTo(
        "imported 601 users into account acme; skipped 601: 1 username taken, 600 already imported\n");
    assertThat(resumed.err()).isEqualTo("line 1202: username taken: username taken is in account acme already, "
        + "with another password hash or none\nmeshy-auth: 1 line was skipped (listed above)\n");

    var again = importFile(all.subList(0, 1201));

    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).isEqualTo("imported 0 users into account acme; skipped 1201: 1201 already imported\n");
    assertThat(again.err()).isEmpty();
    assertThat(listedUsernames()).hasSize(1202);
  }

  @Test
  void anUnknownAccountOrAMissingFileFailsAndImportsNothing() throws Exception {
    var file = write(List.of(line(user(0, FORMATS.get(0)))));

    var noAccount = cli.run("users", "import", "nobody", file.toString());
    var noFile = cli.run("users", "import", ACCOUNT, directory.resolve("missing.jsonl").toString());

    assertThat(noAccount.exitCode()).isEqualTo(1);
    assertThat(noAccount.err()).isEqualTo("meshy-auth: no account nobody\n");
    assertThat(noFile.exitCode()).isEqualTo(1);
    assertThat(noFile.err()).startsWith("meshy-auth: no file ").endsWith("missing.jsonl\n");
    assertThat(listedUsernames()).isEmpty();
  }

  private Cli.Result importFile(List<String> lines, String... options) throws IOException {
    var args = new ArrayList<>(List.of("users", "import", ACCOUNT, write(lines).toString()));
    args.addAll(List.of(options));
    return cli.run(args.toArray(String[]::new));
  }

  private Path write(List<String> lines) throws IOException {
    var file = Files.createTempFile(directory, "users", ".jsonl");
    Files.write(file, lines, StandardCharsets.UTF_8);
    return file;
  }

  private List<String> listedUsernames() {
    return cli.run("users", "list", ACCOUNT).out().lines().skip(1).map(row -> row.split(" ")[0]).toList();
  }

  private static String storedHash(LoginServer server, String username) {
    return server.stores().users().findUser(ACCOUNT, username).orElseThrow().passwordHash().orElseThrow();
  }

  private static String username(int i) {
    return String.format("user-%05d", i);
  }

  private static Map<String, Object> user(int i, Format format) {
    return Map.of("username", username(i), "firstName", "User", "lastName", String.valueOf(i),
        "roles", List.of(Map.of("name", "member", "addedDate", "2020-01-01T00:00:00Z")), "isActive", true,
        "verified", true, "anonymous", false, "passwordHash", format.hash());
  }

  private static String line(Map<String, Object> fields) {
    try {
      return JSON.writeValueAsString(fields);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static com.fasterxml.jackson.databind.JsonNode claims(String jwt) throws IOException {
    return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
  }

  private record Format(String name, String password, String hash) {
  }

  // Real hashes, each made as its system makes it.

  /** ASP.NET Core Identity V2: 0x00, salt, PBKDF2-HMAC-SHA1 of 1,000 iterations (32 bytes). */
  private static String aspNetV2(String password) {
    var salt = salt();
    return Base64.getEncoder().encodeToString(ByteBuffer.allocate(49).put((byte) 0).put(salt)
        .put(pbkdf2("PBKDF2WithHmacSHA1", password, salt, 1000)).array());
  }

  /** ASP.NET Core Identity V3: 0x01, PRF, iterations, salt length (big-endian), salt, subkey (32 bytes). */
  private static String aspNetV3(int prf, String algorithm, int iterations, String password) {
    var salt = salt();
    return Base64.getEncoder().encodeToString(ByteBuffer.allocate(13 + 16 + 32).put((byte) 1).putInt(prf)
        .putInt(iterations).putInt(16).put(salt).put(pbkdf2(algorithm, password, salt, iterations)).array());
  }

  private static byte[] pbkdf2(String algorithm, String password, byte[] salt, int iterations) {
    try {
      return SecretKeyFactory.getInstance(algorithm)
          .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String bcrypt(String version, String password) {
    return OpenBSDBCrypt.generate(version, password.toCharArray(), salt(), 5);
  }

  private static String argon2(String password) {
    try (var secret = Password.of(password)) {
      return new Argon2PasswordHasher(new Argon2Parameters(2048, 2, 1)).hash(secret);
    }
  }

  private static byte[] salt() {
    var salt = new byte[16];
    RANDOM.nextBytes(salt);
    return salt;
  }
}
