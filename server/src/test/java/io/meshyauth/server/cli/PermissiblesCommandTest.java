package io.meshyauth.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PermissiblesCommandTest {
  private static final String ACCOUNT = "demo";

  @TempDir
  Path directory;

  private Cli cli;

  @BeforeEach
  void createAccount() {
    cli = Cli.in(directory);
    assertThat(cli.run("accounts", "create", ACCOUNT, "--client-id", "demo-key").exitCode()).isZero();
  }

  /** The rows of permissibles list below its header, each split into its cells. */
  private List<List<String>> listed() {
    var listed = cli.run("permissibles", "list", ACCOUNT);
    assertThat(listed.exitCode()).isZero();
    var lines = listed.out().lines().toList();
    assertThat(lines.get(0).split(" +")).containsExactly("NAME", "CREATE", "READ", "UPDATE", "DELETE", "BUILT-IN");
    return lines.subList(1, lines.size()).stream().map(line -> List.of(line.split(" +"))).toList();
  }

  @Test
  void aNewAccountListsOnlyTheServersOwnWithEveryOperation() {
    assertThat(listed()).containsExactly(
        List.of("roles", "yes", "yes", "yes", "yes", "yes"),
        List.of("users", "yes", "yes", "yes", "yes", "yes"));
  }

  @Test
  void addedPermissiblesAreListedByNameAfterTheBuiltInsWithTheOperationsTheySupport() {
    var added = cli.run("permissibles", "add", ACCOUNT, "meshes", "--create", "--read");
    assertThat(cli.run("permissibles", "add", ACCOUNT, "meshes.person", "--read", "--update").exitCode()).isZero();
    assertThat(cli.run("permissibles", "add", ACCOUNT, "apples", "--delete").exitCode()).isZero();

    assertThat(added.exitCode()).isZero();
    assertThat(added.out()).isEqualTo("added permissible meshes to account demo, supporting create, read\n");
    assertThat(listed()).containsExactly(
        List.of("roles", "yes", "yes", "yes", "yes", "yes"),
        List.of("users", "yes", "yes", "yes", "yes", "yes"),
        List.of("apples", "no", "no", "no", "yes", "no"),
        List.of("meshes", "yes", "yes", "no", "no", "no"),
        List.of("meshes.person", "no", "yes", "yes", "no", "no"));
  }

  @Test
  void addWithoutAnOperationIsAUsageErrorAndAddsNothing() {
    var added = cli.run("permissibles", "add", ACCOUNT, "meshes");

    assertThat(added.exitCode()).isEqualTo(2);
    assertThat(added.err()).isEqualTo("meshy-auth: give at least one of --create, --read, --update, --delete\n");
    assertThat(listed()).hasSize(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"meshes-person", "meshes.", ".meshes", "9lives", "meshes person"})
  void aNameThatIsNoPermissiblesIsAUsageError(String name) {
    var added = cli.run("permissibles", "add", ACCOUNT, name, "--read");

    assertThat(added.exitCode()).isEqualTo(2);
    assertThat(added.err()).isEqualTo("meshy-auth: a permissible's name is letters, with dotted levels such as "
        + "meshes.person (at most 128 characters), was '" + name + "'\n");
    assertThat(listed()).hasSize(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"users", "roles", "users.admins", "roles.deep.child"})
  void theServersOwnNamesAndTheirDottedChildrenAreReserved(String name) {
    var added = cli.run("permissibles", "add", ACCOUNT, name, "--read");

    assertThat(added.exitCode()).isEqualTo(2);
    assertThat(added.err()).isEqualTo("meshy-auth: the name " + name + " is reserved: users and roles, and their "
        + "dotted children, are the server's own permissibles; choose another name\n");
    assertThat(listed()).hasSize(2);
  }

  @Test
  void aNameTheAccountHasFailsWithExitOneAndKeepsTheFirst() {
    cli.run("permissibles", "add", ACCOUNT, "meshes", "--read");

    var again = cli.run("permissibles", "add", ACCOUNT, "meshes", "--delete");

    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).isEqualTo("meshy-auth: permissible meshes exists already in account demo "
        + "(permissibles list demo shows what it supports)\n");
    assertThat(listed()).contains(List.of("meshes", "no", "yes", "no", "no", "no"));
  }

  @Test
  void anUnknownAccountFailsWithExitOne() {
    var added = cli.run("permissibles", "add", "nobody", "meshes", "--read");
    var listed = cli.run("permissibles", "list", "nobody");

    assertThat(added.exitCode()).isEqualTo(1);
    assertThat(added.err()).isEqualTo("meshy-auth: no account nobody\n");
    assertThat(listed.exitCode()).isEqualTo(1);
    assertThat(listed.err()).isEqualTo("meshy-auth: no account nobody\n");
  }

  @Test
  void permissiblesOfOneAccountAreNotAnothers() {
    cli.run("accounts", "create", "other", "--client-id", "other-key");
    cli.run("permissibles", "add", "other", "meshes", "--read");

    assertThat(listed()).extracting(row -> row.get(0)).containsExactly("roles", "users");
    assertThat(cli.run("permissibles", "add", ACCOUNT, "meshes", "--read").exitCode()).isZero();
  }
}
