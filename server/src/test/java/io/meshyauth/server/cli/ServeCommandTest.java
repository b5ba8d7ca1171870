package io.meshyauth.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import io.meshyauth.server.oauth.Password;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {
  @TempDir
  Path dir;

  private String store() {
    return "jdbc:sqlite:" + dir.resolve("meshy-auth.db");
  }

  @Test
  void demoAccountIsCreatedOnceAndSurvivesARestart() {
    var first = new ServeCommand();
    new CommandLine(first).parseArgs("--port", "0", "--demo", "--store", store());
    try (var server = first.start()) {
      server.provisioning().createUser(ServeCommand.DEMO_ACCOUNT, "second", Password.of("second password"));
    }

    var again = new ServeCommand();
    new CommandLine(again).parseArgs("--port", "0", "--demo", "--store", store());
    try (var server = again.start()) {
      assertThat(server.stores().users().findUser(ServeCommand.DEMO_ACCOUNT, "second")).isPresent();
      assertThat(server.stores().accounts().listAccounts()).hasSize(1);
    }
  }

  @Test
  void demoModeCreatesAnAccountTheReadmeCurlCanLogInTo() throws Exception {
    var command = new ServeCommand();
    new CommandLine(command).parseArgs("--port", "0", "--demo", "--store", store());

    try (var server = command.start()) {
      var body = "client_id=" + ServeCommand.DEMO_CLIENT_ID + "&grant_type=password&username="
          + ServeCommand.DEMO_USERNAME + "&password=" + ServeCommand.DEMO_PASSWORD + "&scope=meshy.api%20offline_access";
      var response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(server.baseUrl() + "/demo/connect/token"))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("\"refresh_token\"");
    }
  }

  @Test
  void withoutDemoTheStoreStaysEmpty() {
    var command = new ServeCommand();
    new CommandLine(command).parseArgs("--port", "0", "--store", store());

    try (var server = command.start()) {
      assertThat(server.stores().accounts().hasAccounts()).isFalse();
    }
  }

  @Test
  void serveCreatesTheKeyFileBesideTheStoreAndRefusesToStartWithoutItOnceKeysAreEncrypted() throws Exception {
    var command = new ServeCommand();
    new CommandLine(command).parseArgs("--port", "0", "--demo", "--store", store());
    try (var server = command.start()) {
      assertThat(server.stores().accounts().hasAccounts()).isTrue();
    }
    var keyFile = dir.resolve("meshy-auth.key");
    assertThat(keyFile).isNotEmptyFile();
    Files.delete(keyFile);

    var err = new StringWriter();
    var exitCode = MeshyAuthCommand.commandLine().setErr(new PrintWriter(err))
        .execute("serve", "--port", "0", "--store", store());

    assertThat(exitCode).isEqualTo(1);
    assertThat(err.toString()).startsWith("meshy-auth: keys.encryption-key-file " + keyFile + " does not exist")
        .hasLineCount(1);
  }

  @Test
  void helpListsTheServeOptionsAndExitsZero() {
    var out = new StringWriter();
    var cli = MeshyAuthCommand.commandLine().setOut(new PrintWriter(out));

    assertThat(cli.execute("serve", "--help")).isZero();
    assertThat(out.toString()).contains("--port", "--host", "--demo", "--config");
  }

  @Test
  void badSettingFailsAtStartNamingTheSetting() {
    var err = new StringWriter();
    var cli = MeshyAuthCommand.commandLine().setErr(new PrintWriter(err));

    assertThat(cli.execute("serve", "--port", "70000")).isEqualTo(2);
    assertThat(err.toString()).contains("setting server.port (from command line) must be between 0 and 65535");
  }

  @Test
  void invalidPortFailsWithANonZeroExit() {
    var err = new StringWriter();
    var cli = MeshyAuthCommand.commandLine().setErr(new PrintWriter(err));

    assertThat(cli.execute("serve", "--port", "not-a-port")).isNotZero();
    assertThat(err.toString()).contains("--port");
  }
}
