package io.meshyauth.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.meshyauth.server.ServerConfig;
import io.meshyauth.server.TestCertificates;
import io.meshyauth.server.TestCertificates.KeyFormat;
import io.meshyauth.server.config.SettingKeys;
import io.meshyauth.server.testing.CapturedLog;
import io.meshyauth.server.values.Password;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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
  void everyInterfaceWithoutAnIssuerFailsAtStartWithOneLineNamingTheIssuerSetting() {
    var result = Cli.in(dir).run("serve", "--host", "0.0.0.0", "--port", "0");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).startsWith("meshy-auth: setting server.issuer-base-url must be set because server.host "
        + "0.0.0.0 is not a loopback address").hasLineCount(1);
  }

  @Test
  void aPostgresqlStoreWithoutAnIssuerFailsAtStartWithOneLineSayingWhy() {
    var result = Cli.in(dir, Map.of(SettingKeys.KEY_ENCRYPTION_KEY_FILE, dir.resolve("cluster.key").toString()))
        .run("serve", "--port", "0", "--store", "jdbc:postgresql://127.0.0.1:1/meshy");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).startsWith("meshy-auth: setting server.issuer-base-url must be set because store.url is "
        + "PostgreSQL, which several nodes share (each would name itself as the issuer)").hasLineCount(1);
  }

  @Test
  void theAdminCommandsNeedNoIssuerOnPostgresql() {
    var result = Cli.in(dir, Map.of(SettingKeys.KEY_ENCRYPTION_KEY_FILE, dir.resolve("cluster.key").toString()))
        .run("accounts", "list", "--store", "jdbc:postgresql://127.0.0.1:1/meshy");

    // it gets as far as the database, which is not there
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).startsWith("meshy-auth: cannot open the store at jdbc:postgresql://127.0.0.1:1/meshy");
  }

  @Test
  void aPostgresqlStoreNeedsAnIssuerOnLoopbackToo() {
    var config = ServerConfig.defaults();

    assertThat(config.issuerRequiredBecause()).isEmpty();
    assertThat(ServerConfig.from(io.meshyauth.server.config.Settings.load(java.util.Optional.empty(), Map.of(),
        Map.of(SettingKeys.STORE_URL, "jdbc:postgresql://db/auth", SettingKeys.KEY_ENCRYPTION_KEY_FILE, "k.key")))
        .issuerRequiredBecause()).singleElement().asString().startsWith("store.url is PostgreSQL");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0", "::", "192.0.2.10", "no-such-host.invalid"})
  void aHostThatIsNotLoopbackNeedsAnIssuer(String host) {
    var config = ServerConfig.defaults().withHost(host);

    assertThat(config.issuerRequiredBecause()).singleElement().asString().contains("server.host " + host);
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.0.0.2", "localhost", "::1"})
  void aLoopbackHostNeedsNoIssuer(String host) {
    assertThat(ServerConfig.defaults().withHost(host).issuerRequiredBecause()).isEmpty();
  }

  @Test
  void everyInterfaceWithAnIssuerStartsAndTheTokensNameThatIssuer() throws Exception {
    var command = new ServeCommand();
    new CommandLine(command).parseArgs("--host", "0.0.0.0", "--port", "0", "--issuer", "https://auth.example.test/",
        "--demo", "--store", store());

    try (var server = command.start()) {
      assertThat(server.boundUrl()).matches("http://0\\.0\\.0\\.0:[0-9]+");
      var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.baseUrl()
          + "/demo/.well-known/openid-configuration")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.body()).contains("\"issuer\":\"https://auth.example.test/demo\"");
    }
  }

  /** The start-up line says which ES256 signer the tokens get: AWS-LC on Linux x86-64, unless crypto.native=off. */
  @Test
  void theStartUpLineNamesTheEs256SignerAndOffMeansBouncyCastle() throws Exception {
    var off = Files.writeString(dir.resolve("off.properties"), SettingKeys.CRYPTO_NATIVE + "=off\n");

    assertThat(startUpLine("--port", "0", "--store", store(), "--config", off.toString()))
        .endsWith("; ES256 signing: Bouncy Castle (pure Java): crypto.native is off");
    assumeTrue(System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64"),
        "AWS-LC is bundled for Linux x86-64 only");
    assertThat(startUpLine("--port", "0", "--store", store()))
        .matches(".*; ES256 signing: AWS-LC \\(ACCP [0-9.]+, native\\)");
  }

  private static String startUpLine(String... args) {
    try (var log = CapturedLog.of(Level.INFO, ServeCommand.class.getName())) {
      var command = new ServeCommand();
      new CommandLine(command).parseArgs(args);
      try (var server = command.start()) {
        return log.events().stream().map(ILoggingEvent::getFormattedMessage)
            .filter(message -> message.startsWith("meshy-auth listening on")).findFirst().orElseThrow();
      }
    }
  }

  @Test
  void aMissingCertificateFileFailsAtStartNamingTheSetting() {
    var pem = TestCertificates.write(dir, "EC", KeyFormat.PKCS8);

    assertTlsFailure(Map.of(SettingKeys.TLS_CERTIFICATE, dir.resolve("missing.pem").toString(),
        SettingKeys.TLS_PRIVATE_KEY, pem.privateKey().toString()),
        "setting server.tls.certificate (from " + "%s) names no readable file");
  }

  @Test
  void aCertificateFileWithoutACertificateFailsAtStartNamingTheSetting() throws Exception {
    var pem = TestCertificates.write(dir, "EC", KeyFormat.PKCS8);
    var garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");

    assertTlsFailure(Map.of(SettingKeys.TLS_CERTIFICATE, garbage.toString(),
        SettingKeys.TLS_PRIVATE_KEY, pem.privateKey().toString()),
        "setting server.tls.certificate (from %s) cannot be used");
  }

  @Test
  void aCertificateGivenAsThePrivateKeyFailsAtStartNamingTheSetting() {
    var pem = TestCertificates.write(dir, "EC", KeyFormat.PKCS8);

    assertTlsFailure(Map.of(SettingKeys.TLS_CERTIFICATE, pem.certificate().toString(),
        SettingKeys.TLS_PRIVATE_KEY, pem.certificate().toString()),
        "setting server.tls.private-key (from %s) cannot be used");
  }

  @Test
  void aPrivateKeyOfAnotherCertificateFailsAtStartNamingTheSetting() throws Exception {
    var pem = TestCertificates.write(dir, "EC", KeyFormat.PKCS8);
    var other = TestCertificates.write(Files.createDirectory(dir.resolve("other")), "EC", KeyFormat.TRADITIONAL);

    assertTlsFailure(Map.of(SettingKeys.TLS_CERTIFICATE, pem.certificate().toString(),
        SettingKeys.TLS_PRIVATE_KEY, other.privateKey().toString()),
        "setting server.tls.private-key (from %s) does not fit: the private key does not belong");
  }

  @Test
  void aCertificateWithoutAPrivateKeyFailsAtStartNamingTheSetting() {
    var pem = TestCertificates.write(dir, "EC", KeyFormat.PKCS8);

    assertTlsFailure(Map.of(SettingKeys.TLS_CERTIFICATE, pem.certificate().toString()),
        "setting server.tls.certificate (from %s) needs server.tls.private-key as well");
  }

  private void assertTlsFailure(Map<String, String> settings, String expected) {
    var cli = Cli.in(dir, settings);

    var result = cli.run("serve", "--port", "0");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).startsWith("meshy-auth: " + expected.formatted(cli.configFile())).hasLineCount(1);
  }

  @Test
  void invalidPortFailsWithANonZeroExit() {
    var err = new StringWriter();
    var cli = MeshyAuthCommand.commandLine().setErr(new PrintWriter(err));

    assertThat(cli.execute("serve", "--port", "not-a-port")).isNotZero();
    assertThat(err.toString()).contains("--port");
  }
}
