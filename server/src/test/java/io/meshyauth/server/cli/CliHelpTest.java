package io.meshyauth.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CliHelpTest {
  @ParameterizedTest(name = "{0} --help")
  @ValueSource(strings = {"accounts", "accounts create", "accounts list", "accounts add-client", "clients",
      "clients create", "clients list", "clients delete", "clients secret", "clients secret add",
      "clients secret remove", "users",
      "users create", "users import", "users deactivate", "users reactivate", "users delete", "users list",
      "users add-role", "users remove-role", "roles", "roles create", "roles list", "roles update", "roles delete",
      "roles permission", "roles permission add", "roles permission remove", "permissibles", "permissibles add",
      "permissibles list", "keys", "keys rotate", "keys list", "serve"})
  void everyCommandExplainsItselfAndExitsZero(String command) {
    var help = Cli.runAsIs((command + " --help").split(" "));

    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).startsWith("Usage: meshy-auth " + command + " ");
    assertThat(help.err()).isEmpty();
  }

  @ParameterizedTest(name = "{0} --help")
  @ValueSource(strings = {"accounts create", "accounts list", "accounts add-client", "clients create",
      "clients list", "clients delete", "clients secret add", "clients secret remove", "users create",
      "users import", "users deactivate", "users reactivate", "users delete", "users list", "users add-role",
      "users remove-role", "roles create", "roles list", "roles update", "roles delete", "roles permission add",
      "roles permission remove", "permissibles add", "permissibles list", "keys rotate", "keys list", "serve"})
  void everyCommandOnTheStoreTakesTheSettingsOfServe(String command) {
    assertThat(Cli.runAsIs((command + " --help").split(" ")).out()).contains("--config=FILE", "--store=JDBC_URL");
  }

  @Test
  void topLevelHelpListsTheCommands() {
    var help = Cli.runAsIs("--help");

    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("serve", "accounts", "clients", "users", "roles", "permissibles", "keys");
  }

  @ParameterizedTest
  @ValueSource(strings = {"accounts", "clients", "users", "roles", "permissibles", "keys"})
  void groupWithoutACommandIsAUsageErrorNamingTheCommands(String group) {
    var result = Cli.runAsIs(group);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).startsWith("meshy-auth: missing command: one of ").contains("list");
  }

  @Test
  void unknownCommandIsAUsageError() {
    assertThat(Cli.runAsIs("acounts", "list").exitCode()).isEqualTo(2);
  }
}
