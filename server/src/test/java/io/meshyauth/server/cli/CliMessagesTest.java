package io.meshyauth.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.meshyauth.server.config.SettingKeys;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the jar's commands print when something is wrong, and the config listing. */
class CliMessagesTest {
  private static final String NL = System.lineSeparator();

  @TempDir
  Path dir;

  @Test
  void usageErrorIsTheErrorAndAHintNotTheWholeUsage() {
    var result = Cli.runAsIs("accounts", "create");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).isEqualTo("meshy-auth: Missing required options and parameters: '--client-id=ID', "
        + "'NAME'" + NL
        + "Try 'meshy-auth accounts create --help' for more information." + NL);
  }

  @Test
  void unknownOptionIsOneLineAndAHint() {
    var result = Cli.runAsIs("serve", "--prot", "8080");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err().lines()).hasSize(2);
    assertThat(result.err()).startsWith("meshy-auth: Unknown options: '--prot', '8080'")
        .endsWith("Try 'meshy-auth serve --help' for more information." + NL);
  }

  @Test
  void serveVersionPrintsTheVersion() {
    var result = Cli.runAsIs("serve", "--version");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).startsWith("meshy-auth ");
  }

  @Test
  void takenPortIsOneLineAndLeavesNoStoreBehind() throws Exception {
    var store = dir.resolve("meshy-auth.db");
    try (var taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      var port = Integer.toString(taken.getLocalPort());

      // bounded: were the port not refused, serve would run until stopped
      var result = assertTimeoutPreemptively(Duration.ofSeconds(60),
          () -> Cli.runAsIs("serve", "--port", port, "--store", "jdbc:sqlite:" + store));

      assertThat(result.exitCode()).isEqualTo(1);
      assertThat(result.err().lines()).singleElement().asString()
          .startsWith("meshy-auth: cannot listen on 127.0.0.1:" + port + ": ");
    }
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void missingConfigFileSaysItIsMissing() {
    var missing = dir.resolve("nope.properties");

    var result = Cli.runAsIs("config", "--config", missing.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).isEqualTo("meshy-auth: --config " + missing + ": no such file (looked for "
        + missing.toAbsolutePath() + ")" + NL);
  }

  @Test
  void configListsEverySettingWithItsValueAndSourceAndMasksPasswords() throws Exception {
    var file = dir.resolve("meshy-auth.properties");
    // PostgreSQL needs the key-encryption key's file named: several nodes share it
    Files.writeString(file, "server.port=9090\ntokens.refresh-grace-window=0s\nkeys.encryption-key-file="
        + dir.resolve("meshy-auth.key") + "\n");

    var result = Cli.runAsIs("config", "--config", file.toString(),
        "--store", "jdbc:postgresql://db.internal/meshy?user=meshy&password=hunter2&ssl=true");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).doesNotContain("hunter2");
    assertThat(result.out().lines()).hasSize(SettingKeys.ALL.size() + 1);
    assertThat(result.out().lines().skip(1).map(line -> line.split(" +")[0]))
        .containsExactlyElementsOf(SettingKeys.ALL);
    assertThat(result.out()).containsPattern("server\\.port +9090 +" + java.util.regex.Pattern.quote(file.toString()))
        .containsPattern("tokens\\.refresh-grace-window +0s +" + java.util.regex.Pattern.quote(file.toString()))
        .containsPattern("store\\.url +jdbc:postgresql://db\\.internal/meshy\\?user=meshy&password=\\*\\*\\*\\*&ssl=true"
            + " +command line")
        .containsPattern("server\\.host +127\\.0\\.0\\.1 +default")
        .containsPattern("tokens\\.access-lifetime +1h +default")
        .containsPattern("tokens\\.refresh-lifetime +30d +default");
  }

  @Test
  void serveHelpNamesEverySetting() {
    var result = Cli.runAsIs("serve", "--help");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains(SettingKeys.ALL).contains("MESHY_AUTH_LIMITS_FAILED_LOGIN_WINDOW")
        .doesNotContain("embedded store.");
  }
}
