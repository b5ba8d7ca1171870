package io.meshyauth.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** roles, roles permission, and users add-role / remove-role, on a real store, proven by listing and logging in. */
class RolesCommandTest {
  private static final String ACCOUNT = "demo";
  private static final String CLIENT_ID = "demo-key";
  private static final String PASSWORD = "correct horse battery staple";
  private static final String NO_ACCOUNT = "meshy-auth: no account nobody\n";

  @TempDir
  Path directory;

  private Cli cli;

  @BeforeEach
  void createAccount() {
    cli = Cli.in(directory);
    assertThat(cli.run("accounts", "create", ACCOUNT, "--client-id", CLIENT_ID).exitCode()).isZero();
  }

  private Cli.Result run(String... args) {
    return cli.run(args);
  }

  private void ok(String... args) {
    var result = cli.run(args);
    assertThat(result.exitCode()).as(String.join(" ", args) + ": " + result.err()).isZero();
  }

  private void createAlice() {
    assertThat(cli.runWithStdin(PASSWORD + "\n", "users", "create", ACCOUNT, "alice").exitCode()).isZero();
  }

  /** The cells of each role's row of roles list, by column: ID, NAME, DESCRIPTION, USERS, PERMISSIONS. */
  private List<String[]> listedRoles() {
    var listed = run("roles", "list", ACCOUNT);
    assertThat(listed.exitCode()).isZero();
    var lines = listed.out().lines().toList();
    assertThat(lines.get(0).split(" +")).containsExactly("ID", "NAME", "DESCRIPTION", "USERS", "PERMISSIONS");
    var rows = new ArrayList<String[]>();
    for (var line : lines.subList(1, lines.size())) {
      rows.add(line.split(" +"));
    }
    return rows;
  }

  private Optional<String[]> listedRole(String name) {
    return listedRoles().stream().filter(row -> row[1].equals(name)).findFirst();
  }

  private static JsonNode claims(LoginServer.Answer answer) throws Exception {
    assertThat(answer.status()).isEqualTo(200);
    return new ObjectMapper().readTree(Base64.getUrlDecoder().decode(answer.text("access_token").split("\\.")[1]));
  }

  private static List<String> strings(JsonNode array) {
    var values = new ArrayList<String>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }

  @Test
  void anOperatorBootstrapsTheFirstAdministratorWhoseTokenCarriesTheRoleAndItsPermissions(@TempDir Path fresh)
      throws Exception {
    // a store of its own, from its first account on, as an operator starts
    cli = Cli.in(fresh);
    ok("accounts", "create", "demo", "--client-id", CLIENT_ID);
    assertThat(cli.runWithStdin(PASSWORD + "\n", "users", "create", "demo", "alice").exitCode()).isZero();
    var created = run("roles", "create", "demo", "admins");
    assertThat(created.exitCode()).isZero();
    assertThat(created.out()).matches("created role admins in account demo with id [0-9a-f]{24}\n");
    var users = run("roles", "permission", "add", "demo", "admins", "users", "--read", "--create", "--update",
        "--delete");
    assertThat(users.exitCode()).isZero();
    assertThat(users.out()).isEqualTo("role admins in account demo now grants users:create, users:read, "
        + "users:update, users:delete (in tokens issued from now on)\n");
    ok("roles", "permission", "add", "demo", "admins", "roles", "--read", "--create", "--update", "--delete");
    var given = run("users", "add-role", "demo", "alice", "admins");
    assertThat(given.exitCode()).isZero();
    assertThat(given.out()).isEqualTo("gave role admins to user alice in account demo\n");

    try (var server = LoginServer.start(cli)) {
      var claims = claims(server.login("demo", CLIENT_ID, "alice", PASSWORD));
      assertThat(strings(claims.get("role"))).containsExactly("admins");
      assertThat(strings(claims.get("permission"))).containsExactlyInAnyOrder("users:create", "users:read",
          "users:update", "users:delete", "roles:create", "roles:read", "roles:update", "roles:delete");
    }
  }

  @Test
  void createdRolesAreListedWithTheirIdDescriptionUsersAndPermissions() {
    var created = run("roles", "create", ACCOUNT, "editors", "--description", "Editors");
    ok("roles", "create", ACCOUNT, "admins");
    ok("roles", "permission", "add", ACCOUNT, "admins", "users", "--read");
    ok("roles", "permission", "add", ACCOUNT, "admins", "roles", "--update", "--read");
    createAlice();
    ok("users", "add-role", ACCOUNT, "alice", "admins");

    assertThat(created.exitCode()).isZero();
    var id = created.out().substring(created.out().lastIndexOf(' ') + 1).strip();
    assertThat(listedRoles()).satisfiesExactly(
        admins -> assertThat(admins).containsSubsequence("admins", "-", "1", "roles:read,roles:update,users:read"),
        editors -> assertThat(editors).containsExactly(id, "editors", "Editors", "0", "-"));
  }

  @Test
  void createRefusesReservedAndNonLetterNamesAsUsageErrors() {
    var system = run("roles", "create", ACCOUNT, "meshy.user");
    var digits = run("roles", "create", ACCOUNT, "admins2");

    assertThat(system.exitCode()).isEqualTo(2);
    assertThat(system.err()).isEqualTo("meshy-auth: role names beginning meshy. are reserved for MeshyDB's system "
        + "roles; choose another name\n");
    assertThat(digits.exitCode()).isEqualTo(2);
    assertThat(digits.err()).isEqualTo("meshy-auth: a role's name is letters only (at most 64), was 'admins2'\n");
    assertThat(listedRoles()).isEmpty();
  }

  @Test
  void aDescriptionWithAControlCharacterIsAUsageError() {
    var created = run("roles", "create", ACCOUNT, "admins", "--description", "two\nlines");

    assertThat(created.exitCode()).isEqualTo(2);
    assertThat(created.err()).startsWith("meshy-auth: a role's description may not hold control characters");
    assertThat(listedRoles()).isEmpty();
  }

  @Test
  void aNameTakenWhateverItsCaseFailsWithExitOne() {
    ok("roles", "create", ACCOUNT, "admins");

    var again = run("roles", "create", ACCOUNT, "Admins");

    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).isEqualTo("meshy-auth: role Admins exists already in account demo (roles list demo "
        + "lists its roles)\n");
    assertThat(listedRoles()).hasSize(1);
  }

  @Test
  void everyRoleCommandOnAnUnknownAccountSaysSoWithExitOne() {
    for (var command : List.of(List.of("roles", "create", "nobody", "admins"), List.of("roles", "list", "nobody"),
        List.of("roles", "update", "nobody", "admins", "--name", "owners"), List.of("roles", "delete", "nobody",
            "admins"), List.of("roles", "permission", "add", "nobody", "admins", "users", "--read"),
        List.of("roles", "permission", "remove", "nobody", "admins", "users"),
        List.of("users", "add-role", "nobody", "alice", "admins"),
        List.of("users", "remove-role", "nobody", "alice", "admins"))) {
      var result = run(command.toArray(String[]::new));

      assertThat(result.exitCode()).as(command.toString()).isEqualTo(1);
      assertThat(result.err()).as(command.toString()).isEqualTo(NO_ACCOUNT);
    }
  }

  @Test
  void updateRenamesARoleWhoseUsersKeepItAndSetsOrRemovesItsDescription() {
    ok("roles", "create", ACCOUNT, "admins", "--description", "Administrators");
    createAlice();
    ok("users", "add-role", ACCOUNT, "alice", "admins");

    var renamed = run("roles", "update", ACCOUNT, "ADMINS", "--name", "owners");

    assertThat(renamed.exitCode()).isZero();
    assertThat(renamed.out()).isEqualTo("renamed role admins to owners in account demo\n");
    assertThat(listedRoles()).singleElement().satisfies(owners ->
        assertThat(owners).containsSubsequence("owners", "Administrators", "1"));

    var described = run("roles", "update", ACCOUNT, "owners", "--description", "Owners");
    assertThat(described.exitCode()).isZero();
    assertThat(described.out()).isEqualTo("updated role owners in account demo\n");
    assertThat(listedRole("owners").orElseThrow()[2]).isEqualTo("Owners");

    ok("roles", "update", ACCOUNT, "owners", "--description", "");
    assertThat(listedRole("owners").orElseThrow()[2]).isEqualTo("-");
  }

  @Test
  void updateRefusesNothingToChangeSystemRolesAndBadNewNamesAsUsageErrors() {
    ok("roles", "create", ACCOUNT, "admins");

    var nothing = run("roles", "update", ACCOUNT, "admins");
    var system = run("roles", "update", ACCOUNT, "meshy.user", "--description", "Everyone");
    var reserved = run("roles", "update", ACCOUNT, "admins", "--name", "meshy.admins");
    var digits = run("roles", "update", ACCOUNT, "admins", "--name", "admins2");

    assertThat(nothing.exitCode()).isEqualTo(2);
    assertThat(nothing.err()).isEqualTo("meshy-auth: nothing to change: give --name NEW or --description TEXT\n");
    assertThat(system.exitCode()).isEqualTo(2);
    assertThat(system.err()).isEqualTo("meshy-auth: role meshy.user is one of MeshyDB's system roles (named "
        + "meshy....), which cannot be changed\n");
    assertThat(reserved.exitCode()).isEqualTo(2);
    assertThat(reserved.err()).startsWith("meshy-auth: role names beginning meshy. are reserved");
    assertThat(digits.exitCode()).isEqualTo(2);
    assertThat(digits.err()).startsWith("meshy-auth: a role's name is letters only");
    assertThat(listedRoles()).singleElement().satisfies(row -> assertThat(row[1]).isEqualTo("admins"));
  }

  @Test
  void updateOfAnUnknownRoleOrToATakenNameFailsWithExitOne() {
    ok("roles", "create", ACCOUNT, "admins");
    ok("roles", "create", ACCOUNT, "editors");

    var unknown = run("roles", "update", ACCOUNT, "ghosts", "--name", "spirits");
    var taken = run("roles", "update", ACCOUNT, "admins", "--name", "Editors");

    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).isEqualTo("meshy-auth: no role ghosts in account demo (roles list demo lists its "
        + "roles)\n");
    assertThat(taken.exitCode()).isEqualTo(1);
    assertThat(taken.err()).isEqualTo("meshy-auth: role Editors exists already in account demo (roles list demo "
        + "lists its roles)\n");
    assertThat(listedRoles()).extracting(row -> row[1]).containsExactly("admins", "editors");
  }

  @Test
  void deleteTakesTheRoleItsPermissionsAndItsMembershipsAndRefusesSystemAndUnknownRoles() {
    ok("roles", "create", ACCOUNT, "admins");
    ok("roles", "permission", "add", ACCOUNT, "admins", "users", "--read");
    createAlice();
    ok("users", "add-role", ACCOUNT, "alice", "admins");

    var deleted = run("roles", "delete", ACCOUNT, "admins");

    assertThat(deleted.exitCode()).isZero();
    assertThat(deleted.out()).isEqualTo("deleted role admins from account demo (held by 1 user)\n");
    assertThat(listedRoles()).isEmpty();
    // a new role of the same name starts with no member and no permission
    ok("roles", "create", ACCOUNT, "admins");
    assertThat(listedRole("admins").orElseThrow()).containsSubsequence("admins", "-", "0", "-");

    var again = run("roles", "delete", ACCOUNT, "ghosts");
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).isEqualTo("meshy-auth: no role ghosts in account demo (roles list demo lists its "
        + "roles)\n");
    var system = run("roles", "delete", ACCOUNT, "meshy.user");
    assertThat(system.exitCode()).isEqualTo(2);
    assertThat(system.err()).startsWith("meshy-auth: role meshy.user is one of MeshyDB's system roles");
  }

  @Test
  void permissionAddGrantsAStoredPermissiblesSupportedOperations() {
    ok("permissibles", "add", ACCOUNT, "meshes.person", "--read", "--update");
    ok("roles", "create", ACCOUNT, "editors");

    var added = run("roles", "permission", "add", ACCOUNT, "editors", "Meshes.Person", "--update");

    assertThat(added.exitCode()).isZero();
    assertThat(added.out()).isEqualTo("role editors in account demo now grants meshes.person:update (in tokens "
        + "issued from now on)\n");
    assertThat(listedRole("editors").orElseThrow()[4]).isEqualTo("meshes.person:update");
  }

  @Test
  void permissionAddRefusesNoFlagAndUnsupportedFlagsAsUsageErrors() {
    ok("permissibles", "add", ACCOUNT, "meshes", "--read");
    ok("roles", "create", ACCOUNT, "admins");

    var none = run("roles", "permission", "add", ACCOUNT, "admins", "users");
    var unsupported = run("roles", "permission", "add", ACCOUNT, "admins", "meshes", "--read", "--delete");
    var system = run("roles", "permission", "add", ACCOUNT, "meshy.user", "users", "--read");

    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).isEqualTo("meshy-auth: give at least one of --create, --read, --update, --delete\n");
    assertThat(unsupported.exitCode()).isEqualTo(2);
    assertThat(unsupported.err()).isEqualTo("meshy-auth: permissible meshes supports only read: leave out the "
        + "other flags\n");
    assertThat(system.exitCode()).isEqualTo(2);
    assertThat(system.err()).startsWith("meshy-auth: role meshy.user is one of MeshyDB's system roles");
    assertThat(listedRole("admins").orElseThrow()[4]).isEqualTo("-");
  }

  @Test
  void permissionAddOnAnUnknownPermissibleOrRoleFailsWithExitOne() {
    ok("roles", "create", ACCOUNT, "admins");

    var permissible = run("roles", "permission", "add", ACCOUNT, "admins", "meshes", "--read");
    var role = run("roles", "permission", "add", ACCOUNT, "ghosts", "users", "--read");

    assertThat(permissible.exitCode()).isEqualTo(1);
    assertThat(permissible.err()).isEqualTo("meshy-auth: no permissible meshes in account demo: add it with "
        + "permissibles add demo meshes and the operations it supports\n");
    assertThat(role.exitCode()).isEqualTo(1);
    assertThat(role.err()).isEqualTo("meshy-auth: no role ghosts in account demo (roles list demo lists its "
        + "roles)\n");
    assertThat(listedRole("admins").orElseThrow()[4]).isEqualTo("-");
  }

  @Test
  void permissionAddRefusesAPermissibleTheRoleHoldsOrADottedRelativeOfOne() {
    ok("permissibles", "add", ACCOUNT, "meshes", "--read");
    ok("permissibles", "add", ACCOUNT, "meshes.person", "--read");
    ok("roles", "create", ACCOUNT, "admins");
    ok("roles", "permission", "add", ACCOUNT, "admins", "users", "--read");
    ok("roles", "permission", "add", ACCOUNT, "admins", "meshes", "--read");

    var already = run("roles", "permission", "add", ACCOUNT, "admins", "users", "--read", "--update");
    var related = run("roles", "permission", "add", ACCOUNT, "admins", "meshes.person", "--read");

    assertThat(already.exitCode()).isEqualTo(1);
    assertThat(already.err()).isEqualTo("meshy-auth: role admins has a permission on users already: remove it "
        + "first (roles permission remove demo admins users), then add it with the flags it should have\n");
    assertThat(related.exitCode()).isEqualTo(1);
    assertThat(related.err()).isEqualTo("meshy-auth: role admins has a permission on meshes, a dotted relative "
        + "of meshes.person, and may hold only one of them: remove that one first\n");
    assertThat(listedRole("admins").orElseThrow()[4]).isEqualTo("meshes:read,users:read");
  }

  @Test
  void permissionRemoveTakesTheRolesPermissionOnThePermissible() {
    ok("roles", "create", ACCOUNT, "admins");
    ok("roles", "permission", "add", ACCOUNT, "admins", "users", "--read", "--delete");
    ok("roles", "permission", "add", ACCOUNT, "admins", "roles", "--read");

    var removed = run("roles", "permission", "remove", ACCOUNT, "admins", "users");

    assertThat(removed.exitCode()).isZero();
    assertThat(removed.out()).isEqualTo("role admins in account demo no longer grants users:read, users:delete "
        + "(in tokens issued from now on)\n");
    assertThat(listedRole("admins").orElseThrow()[4]).isEqualTo("roles:read");
    // and the permission can be added anew, with other flags
    ok("roles", "permission", "add", ACCOUNT, "admins", "users", "--update");
    assertThat(listedRole("admins").orElseThrow()[4]).isEqualTo("roles:read,users:update");
  }

  @Test
  void permissionRemoveOfAPermissionTheRoleLacksOrOfAnUnknownRoleFailsWithExitOne() {
    ok("roles", "create", ACCOUNT, "admins");
    ok("roles", "permission", "add", ACCOUNT, "admins", "roles", "--read");

    var lacking = run("roles", "permission", "remove", ACCOUNT, "admins", "users");
    var role = run("roles", "permission", "remove", ACCOUNT, "ghosts", "roles");
    var system = run("roles", "permission", "remove", ACCOUNT, "meshy.user", "roles");

    assertThat(lacking.exitCode()).isEqualTo(1);
    assertThat(lacking.err()).isEqualTo("meshy-auth: role admins has no permission on users (roles list demo "
        + "shows the permissions of each role)\n");
    assertThat(role.exitCode()).isEqualTo(1);
    assertThat(role.err()).startsWith("meshy-auth: no role ghosts in account demo");
    assertThat(system.exitCode()).isEqualTo(2);
    assertThat(listedRole("admins").orElseThrow()[4]).isEqualTo("roles:read");
  }

  @Test
  void permissionWithoutACommandIsAUsageErrorNamingAddAndRemove() {
    var result = Cli.runAsIs("roles", "permission");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).startsWith("meshy-auth: missing command: one of add, remove");
  }

  @Test
  void removeRoleTakesTheRoleAndItsPermissionsFromTheNextToken() throws Exception {
    ok("roles", "create", ACCOUNT, "admins");
    ok("roles", "permission", "add", ACCOUNT, "admins", "users", "--read");
    ok("roles", "create", ACCOUNT, "editors");
    createAlice();
    ok("users", "add-role", ACCOUNT, "alice", "admins");
    ok("users", "add-role", ACCOUNT, "alice", "editors");

    try (var server = LoginServer.start(cli)) {
      var before = claims(server.login(ACCOUNT, CLIENT_ID, "alice", PASSWORD));
      assertThat(strings(before.get("role"))).containsExactlyInAnyOrder("admins", "editors");
      assertThat(strings(before.get("permission"))).containsExactly("users:read");

      var removed = run("users", "remove-role", ACCOUNT, "alice", "Admins");

      assertThat(removed.exitCode()).isZero();
      assertThat(removed.out()).isEqualTo("took role admins from user alice in account demo\n");
      var after = claims(server.login(ACCOUNT, CLIENT_ID, "alice", PASSWORD));
      assertThat(strings(after.get("role"))).containsExactly("editors");
      assertThat(strings(after.get("permission"))).isEmpty();
    }
  }

  @Test
  void addRoleAndRemoveRoleSayWhenThereIsNothingToDo() {
    ok("roles", "create", ACCOUNT, "admins");
    createAlice();
    ok("users", "add-role", ACCOUNT, "alice", "admins");

    var twice = run("users", "add-role", ACCOUNT, "alice", "admins");
    ok("users", "remove-role", ACCOUNT, "alice", "admins");
    var notHeld = run("users", "remove-role", ACCOUNT, "alice", "admins");

    assertThat(twice.exitCode()).isEqualTo(1);
    assertThat(twice.err()).isEqualTo("meshy-auth: user alice already has role admins in account demo\n");
    assertThat(notHeld.exitCode()).isEqualTo(1);
    assertThat(notHeld.err()).isEqualTo("meshy-auth: user alice does not have role admins in account demo\n");
    assertThat(listedRole("admins").orElseThrow()[3]).isEqualTo("0");
  }

  @Test
  void anAnonymousUserIsRefusedARole() {
    ok("roles", "create", ACCOUNT, "admins");
    ok("users", "create", ACCOUNT, "guest", "--anonymous");

    var given = run("users", "add-role", ACCOUNT, "guest", "admins");

    assertThat(given.exitCode()).isEqualTo(1);
    assertThat(given.err()).isEqualTo("meshy-auth: user guest is anonymous, and anonymous users cannot hold "
        + "roles: give the role to a user with a password\n");
    assertThat(listedRole("admins").orElseThrow()[3]).isEqualTo("0");
  }

  @Test
  void addRoleAndRemoveRoleOfAnUnknownUserOrRoleFailWithExitOne() {
    ok("roles", "create", ACCOUNT, "admins");
    createAlice();

    for (var command : List.of("add-role", "remove-role")) {
      var user = run("users", command, ACCOUNT, "bob", "admins");
      var role = run("users", command, ACCOUNT, "alice", "ghosts");

      assertThat(user.exitCode()).as(command).isEqualTo(1);
      assertThat(user.err()).as(command).isEqualTo("meshy-auth: no user bob in account demo (users list demo "
          + "lists its users)\n");
      assertThat(role.exitCode()).as(command).isEqualTo(1);
      assertThat(role.err()).as(command).isEqualTo("meshy-auth: no role ghosts in account demo (roles list demo "
          + "lists its roles)\n");
    }
  }
}
