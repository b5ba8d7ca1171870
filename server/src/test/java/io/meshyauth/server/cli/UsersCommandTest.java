package io.meshyauth.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersCommandTest {
  private static final String ACCOUNT = "acme";
  private static final String CLIENT_ID = "acme-key";
  private static final String PASSWORD = "correct horse battery staple";
  /** For commands that must not ask for a password. */
  private static final PasswordInput NO_PASSWORD = username -> fail("asked for a password");

  @TempDir
  Path directory;

  private Cli cli;

  @BeforeEach
  void createAccount() {
    cli = Cli.in(directory);
    assertThat(cli.run("accounts", "create", ACCOUNT, "--client-id", CLIENT_ID).exitCode()).isZero();
  }

  private Cli.Result createAlice() {
    return cli.runWithStdin(PASSWORD + "\n", "users", "create", ACCOUNT, "alice");
  }

  private static LoginServer.Answer loginAsAlice(LoginServer server) {
    return server.login(ACCOUNT, CLIENT_ID, "alice", PASSWORD);
  }

  @Test
  void userCreatedWithThePasswordFromStdinLogsInToAServerOnTheSameStore() {
    var created = createAlice();

    assertThat(created.exitCode()).isZero();
    assertThat(created.out()).isEqualTo("created user alice in account acme\n");
    try (var server = LoginServer.start(cli)) {
      var answer = loginAsAlice(server);
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.text("access_token")).isNotBlank();
    }
  }

  @Test
  void namesRolesAndPermissionsGivenAtCreationAndUpdatedLaterReachTheAccessTokens() throws Exception {
    var created = cli.runWithStdin(PASSWORD + "\n", "users", "create", ACCOUNT, "alice", "--first-name", "Alice",
        "--last-name", "Liddell", "--role", "admin", "--role", "editor", "--permission", "meshes.read");
    assertThat(created.exitCode()).isZero();

    try (var server = LoginServer.start(cli)) {
      var claims = claims(loginAsAlice(server).text("access_token"));
      assertThat(claims.get("given_name").asText()).isEqualTo("Alice");
      assertThat(claims.get("family_name").asText()).isEqualTo("Liddell");
      assertThat(claims.get("role").toString()).isEqualTo("[\"admin\",\"editor\"]");
      assertThat(claims.get("permission").toString()).isEqualTo("[\"meshes.read\"]");

      var updated = cli.run("users", "update", ACCOUNT, "alice", "--last-name", "", "--role", "viewer",
          "--no-permissions");

      assertThat(updated.exitCode()).isZero();
      assertThat(updated.out()).isEqualTo("updated user alice in account acme\n");
      claims = claims(loginAsAlice(server).text("access_token"));
      assertThat(claims.get("given_name").asText()).isEqualTo("Alice");
      assertThat(claims.has("family_name")).isFalse();
      assertThat(claims.get("role").toString()).isEqualTo("[\"viewer\"]");
      assertThat(claims.get("permission").toString()).isEqualTo("[]");
    }
  }

  @Test
  void updateOfAnUnknownUserFailsAndABlankRoleIsAUsageError() {
    createAlice();

    assertThat(cli.run("users", "update", ACCOUNT, "bob", "--role", "admin").exitCode()).isEqualTo(1);
    var blank = cli.run("users", "update", ACCOUNT, "alice", "--role", " ");
    assertThat(blank.exitCode()).isEqualTo(2);
    assertThat(blank.err()).contains("non-blank");
  }

  private static com.fasterxml.jackson.databind.JsonNode claims(String accessToken) throws Exception {
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        java.util.Base64.getUrlDecoder().decode(accessToken.split("\\.")[1]));
  }

  @Test
  void aPasswordShorterThanTheAccountsMinimumIsAUsageErrorAndCreatesNoUser() {
    cli.run("accounts", "update", ACCOUNT, "--min-password-length", "12");

    var created = cli.runWithStdin("eleven-char\n", "users", "create", ACCOUNT, "bob");

    assertThat(created.exitCode()).isEqualTo(2);
    assertThat(created.err()).startsWith("meshy-auth: the password must be at least 12 characters");
    assertThat(cli.run("users", "list", ACCOUNT).out()).doesNotContain("bob");
  }

  @Test
  void onlyTheFirstLineOfStdinIsThePasswordWhateverItsLineEnd() {
    cli.runWithStdin(PASSWORD + "\r\nsecond line\n", "users", "create", ACCOUNT, "alice");

    try (var server = LoginServer.start(cli)) {
      assertThat(loginAsAlice(server).status()).isEqualTo(200);
    }
  }

  @Test
  void deactivatedUserIsToldItIsNoLongerActive() {
    createAlice();

    var deactivated = cli.run("users", "deactivate", ACCOUNT, "alice");

    assertThat(deactivated.exitCode()).isZero();
    assertThat(deactivated.out()).isEqualTo("deactivated user alice in account acme\n");
    try (var server = LoginServer.start(cli)) {
      var answer = loginAsAlice(server);
      assertThat(answer.status()).isEqualTo(400);
      assertThat(answer.text("error")).isEqualTo("invalid_grant");
      assertThat(answer.text("error_description")).isEqualTo("User is no longer active.");
    }
  }

  @Test
  void reactivatedUserLogsInAgainWhileTheServerRuns() {
    createAlice();
    cli.run("users", "deactivate", ACCOUNT, "alice");

    try (var server = LoginServer.start(cli)) {
      assertThat(loginAsAlice(server).status()).isEqualTo(400);

      var reactivated = cli.run("users", "reactivate", ACCOUNT, "alice");

      assertThat(reactivated.exitCode()).isZero();
      assertThat(reactivated.out()).isEqualTo("reactivated user alice in account acme\n");
      assertThat(loginAsAlice(server).status()).isEqualTo(200);
    }
  }

  @Test
  void deletedUserCannotLogInAndIsNoLongerListed() {
    createAlice();

    var deleted = cli.run("users", "delete", ACCOUNT, "alice");

    assertThat(deleted.exitCode()).isZero();
    assertThat(deleted.out()).isEqualTo("deleted user alice from account acme\n");
    assertThat(cli.run("users", "list", ACCOUNT).out()).doesNotContain("alice");
    try (var server = LoginServer.start(cli)) {
      var answer = loginAsAlice(server);
      assertThat(answer.status()).isEqualTo(400);
      assertThat(answer.text("error")).isEqualTo("invalid_grant");
      assertThat(answer.text("error_description")).isEqualTo("Username or password is invalid.");
    }
  }

  @Test
  void passwordOnTheCommandLineIsAUsageErrorThatDoesNotEchoIt() {
    var created = cli.runWithPasswords(NO_PASSWORD, "users", "create", ACCOUNT, "bob", "s3cret-on-argv");

    assertThat(created.exitCode()).isEqualTo(2);
    assertThat(created.err()).startsWith("meshy-auth: users create takes no password on the command line");
    assertThat(created.all()).doesNotContain("s3cret-on-argv");
    assertThat(cli.run("users", "list", ACCOUNT).out()).doesNotContain("bob");
  }

  @Test
  void passwordAsAnOptionIsAUsageErrorThatDoesNotEchoIt() {
    var created = cli.runWithPasswords(NO_PASSWORD, "users", "create", ACCOUNT, "bob", "--password=s3cret-on-argv");

    assertThat(created.exitCode()).isEqualTo(2);
    assertThat(created.all()).doesNotContain("s3cret-on-argv");
    assertThat(cli.run("users", "list", ACCOUNT).out()).doesNotContain("bob");
  }

  @Test
  void passwordIsNeverPrintedNorItsHashListed() {
    var created = createAlice();
    var listed = cli.run("users", "list", ACCOUNT);

    assertThat(created.all() + listed.all()).doesNotContain(PASSWORD).doesNotContain("argon2");
  }

  @Test
  void listShowsEachUsersFlags() {
    createAlice();
    cli.runWithStdin("another password\n", "users", "create", ACCOUNT, "bob");
    cli.run("users", "deactivate", ACCOUNT, "bob");
    cli.runWithPasswords(NO_PASSWORD, "users", "create", ACCOUNT, "guest-1", "--anonymous");

    var listed = cli.run("users", "list", ACCOUNT);

    assertThat(listed.exitCode()).isZero();
    var lines = listed.out().lines().toList();
    assertThat(lines.get(0).split(" +")).containsExactly("USERNAME", "ACTIVE", "VERIFIED", "ANONYMOUS", "CREATED");
    assertThat(lines.subList(1, lines.size())).hasSize(3)
        .satisfiesExactly(
            alice -> assertThat(alice.split(" +")).startsWith("alice", "yes", "yes", "no"),
            bob -> assertThat(bob.split(" +")).startsWith("bob", "no", "yes", "no"),
            guest -> assertThat(guest.split(" +")).startsWith("guest-1", "yes", "no", "yes"));
  }

  @Test
  void anonymousUserNeedsNoPasswordAndLogsInWithTheStaticOne() {
    var created = cli.runWithPasswords(NO_PASSWORD, "users", "create", ACCOUNT, "guest-1", "--anonymous");

    assertThat(created.exitCode()).isZero();
    assertThat(created.out()).isEqualTo("created anonymous user guest-1 in account acme\n");
    try (var server = LoginServer.start(cli)) {
      assertThat(server.login(ACCOUNT, CLIENT_ID, "guest-1", "nopassword").status()).isEqualTo(200);
    }
  }

  @Test
  void emptyStdinIsAUsageErrorAndCreatesNoUser() {
    var created = cli.runWithStdin("", "users", "create", ACCOUNT, "alice");

    assertThat(created.exitCode()).isEqualTo(2);
    assertThat(created.err()).isEqualTo("meshy-auth: no password on stdin: pipe it as the first line, or run on a "
        + "terminal to be asked for it\n");
    assertThat(cli.run("users", "list", ACCOUNT).out()).doesNotContain("alice");
  }

  @Test
  void unknownAccountFailsWithExitOneBeforeAskingForAPassword() {
    var created = cli.runWithPasswords(NO_PASSWORD, "users", "create", "nobody", "alice");

    assertThat(created.exitCode()).isEqualTo(1);
    assertThat(created.err()).isEqualTo("meshy-auth: no account nobody\n");
  }

  @Test
  void takenUsernameFailsWithExitOne() {
    createAlice();

    var again = cli.runWithStdin("other password\n", "users", "create", ACCOUNT, "Alice");

    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).isEqualTo("meshy-auth: username Alice is taken in account acme\n");
  }

  @Test
  void changingAnUnknownUserFailsWithExitOne() {
    for (var command : new String[] {"deactivate", "reactivate", "delete"}) {
      var changed = cli.run("users", command, ACCOUNT, "nobody");

      assertThat(changed.exitCode()).as(command).isEqualTo(1);
      assertThat(changed.err()).as(command).isEqualTo("meshy-auth: no user nobody in account acme\n");
    }
  }

  @Test
  void listOfAnUnknownAccountFailsWithExitOne() {
    var listed = cli.run("users", "list", "nobody");

    assertThat(listed.exitCode()).isEqualTo(1);
    assertThat(listed.err()).isEqualTo("meshy-auth: no account nobody\n");
  }
}
