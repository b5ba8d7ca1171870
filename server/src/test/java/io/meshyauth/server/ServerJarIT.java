package io.meshyauth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import io.meshyauth.server.config.SettingKeys;
import io.meshyauth.server.config.Settings;
import io.meshyauth.server.testing.Daemons;
import io.meshyauth.server.testing.Forms;
import io.meshyauth.server.testing.ProcessOutput;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar as operators run it (after packaging, so after the shade plugin dropped the classes it
 * judged unused): the CLI provisions with Argon2 hashing, {@code serve} answers logins and refreshes with
 * ES256 tokens that verify against its JWKS.
 */
class ServerJarIT {
  private static final Path JAR = Path.of("target", "meshy-auth-server.jar");
  /** The start-up line from "listening on" to its end; the address in group 1. */
  private static final Pattern LISTENING = Pattern.compile("listening on (https?://[0-9.]+:[0-9]+).*");
  /** The start of a text log line: local date and time to the millisecond. */
  private static final String TEXT_LINE = "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} ";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  static Path directory;
  private static Process server;
  private static String baseUrl;
  private static String startUpLine;

  @BeforeAll
  static void provisionWithTheCliAndServe() throws Exception {
    var store = "jdbc:sqlite:" + directory.resolve("meshy-auth.db");
    assertThat(run("accounts", "create", "jar", "--client-id", "jar-client", "--store", store)).isZero();
    assertThat(run("users", "create", "jar", "alice", "--store", store)).isZero();

    server = new ProcessBuilder(java(), "-jar", JAR.toString(), "serve", "--port", "0", "--store", store)
        .redirectErrorStream(true).start();
    var line = startUpLine(server);
    baseUrl = line.group(1);
    startUpLine = line.group();
    assertThat(baseUrl).startsWith("http://127.0.0.1:");
  }

  /** Reads the server's output up to its start-up line, then keeps draining it so a full pipe never blocks it. */
  private static java.util.regex.MatchResult startUpLine(Process process) throws Exception {
    var output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    var seen = new ArrayList<String>();
    var listening = CompletableFuture.supplyAsync(() -> {
      try {
        for (String line; (line = output.readLine()) != null; ) {
          seen.add(line);
          // the log is JSON lines (slashes escaped): match the message itself
          var message = line.startsWith("{") ? JSON.readTree(line).path("formattedMessage").asText() : line;
          var match = LISTENING.matcher(message);
          if (match.find()) {
            assertThat(line).as("a JSON log line").startsWith("{");
            return match.toMatchResult();
          }
        }
        return null;
      } catch (IOException e) {
        return null;
      }
    }, Daemons.THREADS);
    var match = listening.get(60, TimeUnit.SECONDS);
    assertThat(match).as("the server's output: %s", seen).isNotNull();
    CompletableFuture.runAsync(() -> output.lines().forEach(line -> { }), Daemons.THREADS);
    return match;
  }

  /** The start-up line names the address bound, and the issuer clients use; the tokens name that issuer. */
  @Test
  void onEveryInterfaceTheStartUpLineNamesTheBoundAddressAndTheIssuer() throws Exception {
    var process = new ProcessBuilder(java(), "-jar", JAR.toString(), "serve", "--host", "0.0.0.0", "--port", "0",
        "--issuer", "https://auth.example.test", "--store", "jdbc:sqlite:" + directory.resolve("meshy-auth.db"))
        .redirectErrorStream(true).start();
    try {
      var line = startUpLine(process);
      assertThat(line.group()).startsWith("listening on http://0.0.0.0:");
      var port = URI.create(line.group(1)).getPort();
      var discovery = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
          + "/jar/.well-known/openid-configuration")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(JSON.readTree(discovery.body()).get("issuer").asText()).isEqualTo("https://auth.example.test/jar");
    } finally {
      process.destroy();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void onEveryInterfaceWithoutAnIssuerServeStopsWithOneLineNamingTheSetting() throws Exception {
    var process = new ProcessBuilder(java(), "-jar", JAR.toString(), "serve", "--host", "0.0.0.0", "--port", "0",
        "--store", "jdbc:sqlite:" + directory.resolve("meshy-auth.db")).start();
    var stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(stderr).startsWith("meshy-auth: setting server.issuer-base-url must be set").hasLineCount(1);
  }

  /** HTTPS from PEM files in the shaded jar, which keeps only the Bouncy Castle classes it sees used. */
  @Test
  void withACertificateTheJarServesHttpsAndSaysSo() throws Exception {
    var pem = TestCertificates.write(directory, "EC", TestCertificates.KeyFormat.TRADITIONAL);
    var config = Files.writeString(directory.resolve("tls.properties"), "server.tls.certificate="
        + pem.certificate() + "\nserver.tls.private-key=" + pem.privateKey() + "\n");
    var tls = new ProcessBuilder(java(), "-jar", JAR.toString(), "serve", "--port", "0", "--config",
        config.toString(), "--store", "jdbc:sqlite:" + directory.resolve("meshy-auth.db"))
        .redirectErrorStream(true).start();
    try {
      var httpsUrl = startUpLine(tls).group(1);
      assertThat(httpsUrl).startsWith("https://127.0.0.1:");
      var https = HttpClient.newBuilder().sslContext(pem.clientContext()).build();
      var login = https.send(HttpRequest.newBuilder(URI.create(httpsUrl + "/jar/connect/token"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=jar-client&username=alice"
              + "&password=alice-password")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
      var issuer = SignedJWT.parse(JSON.readTree(login.body()).get("access_token").asText()).getJWTClaimsSet()
          .getIssuer();
      assertThat(issuer).isEqualTo(httpsUrl + "/jar");
    } finally {
      tls.destroy();
      tls.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (server != null) {
      server.destroy();
      server.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aLoginAndARefreshGiveTokensSignedWithAPublishedKey() throws Exception {
    var login = post("/jar/connect/token", Map.of("grant_type", "password", "client_id", "jar-client",
        "username", "alice", "password", "alice-password", "scope", "meshy.api offline_access"));
    assertThat(login.statusCode()).isEqualTo(200);
    var refresh = post("/jar/connect/token", Map.of("grant_type", "refresh_token", "client_id", "jar-client",
        "refresh_token", json(login).get("refresh_token").asText()));
    assertThat(refresh.statusCode()).isEqualTo(200);

    for (var answer : List.of(login, refresh)) {
      assertSignedWithAPublishedKey(baseUrl, answer);
    }
  }

  private static void assertSignedWithAPublishedKey(String base, HttpResponse<String> answer) throws Exception {
    var keys = JWKSet.parse(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/jar/.well-known/openid-configuration/jwks")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    var jwt = SignedJWT.parse(json(answer).get("access_token").asText());
    var key = keys.getKeyByKeyId(jwt.getHeader().getKeyID()).toECKey();
    assertThat(jwt.verify(new ECDSAVerifier(key))).isTrue();
    assertThat(jwt.getJWTClaimsSet().getSubject()).isNotBlank();
  }

  /** The shaded jar keeps Amazon Corretto Crypto Provider whole: its native library and the classes it names. */
  @Test
  void onLinuxX64TheJarSignsWithAwsLc() {
    assumeTrue(System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64"),
        "AWS-LC is bundled for Linux x86-64 only");

    assertThat(startUpLine).matches(".*; ES256 signing: AWS-LC \\(ACCP [0-9.]+, native\\)");
  }

  @Test
  void withCryptoNativeOffTheJarSignsWithBouncyCastle() throws Exception {
    var serve = new ProcessBuilder(java(), "-jar", JAR.toString(), "serve", "--port", "0", "--store",
        "jdbc:sqlite:" + directory.resolve("meshy-auth.db")).redirectErrorStream(true);
    serve.environment().put(Settings.environmentName(SettingKeys.CRYPTO_NATIVE), "off");
    var process = serve.start();
    try {
      var line = startUpLine(process);
      assertThat(line.group()).endsWith("; ES256 signing: Bouncy Castle (pure Java): crypto.native is off");

      var login = post(line.group(1), "/jar/connect/token", Map.of("grant_type", "password", "client_id",
          "jar-client", "username", "alice", "password", "alice-password"));
      assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
      assertSignedWithAPublishedKey(line.group(1), login);
    } finally {
      process.destroy();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aWrongPasswordIsAnOAuthErrorAfterAFullHash() throws Exception {
    var answer = post("/jar/connect/token", Map.of("grant_type", "password", "client_id", "jar-client",
        "username", "alice", "password", "not-her-password"));

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(json(answer).get("error").asText()).isEqualTo("invalid_grant");
  }

  /** The admin commands' output is theirs: log lines go to stderr, and only from WARN up. */
  @Test
  void anAdminCommandPrintsItsTableAndNoLogLinesOnStdout() throws Exception {
    var process = new ProcessBuilder(java(), "-jar", JAR.toString(), "accounts", "list", "--store",
        "jdbc:sqlite:" + directory.resolve("meshy-auth.db")).start();
    var stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    var stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(process.exitValue()).as(stderr).isZero();
    assertThat(stdout).startsWith("NAME").contains("jar-client").doesNotContain("\"level\"");
    // stderr is no terminal: its one line is the command's audit line, in JSON
    assertThat(stderr).hasLineCount(1);
    var audit = JSON.readTree(stderr);
    assertThat(audit.get("loggerName").asText()).isEqualTo("meshy.audit");
    assertThat(audit.get("formattedMessage").asText()).isEqualTo("admin.command");
    assertThat(audit.get("kvpList").toString()).contains("{\"command\":\"accounts list\"}", "{\"outcome\":\"ok\"}");
  }

  /** The shaded jar keeps every class Micrometer, Prometheus' writer and HikariCP's meters load. */
  @Test
  void theJarServesMetricsOfTheTokenRequestsThePoolAndTheJvm() throws Exception {
    assertThat(post("/jar/connect/token", Map.of("grant_type", "password", "client_id", "jar-client",
        "username", "alice", "password", "alice-password")).statusCode()).isEqualTo(200);

    var scrape = Scrape.awaiting(baseUrl + "/metrics",
        s -> s.total("meshy_token_requests_seconds_count") > 0);

    assertThat(scrape.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    assertThat(scrape.families()).contains("meshy_token_requests_seconds", "meshy_logins_total",
        "meshy_password_hashing_wait_seconds", "hikaricp_connections_active", "jvm_memory_used_bytes",
        "process_cpu_usage");
  }

  /** The jar keeps libsodium's build for Linux x86-64, and a server started from it hashes with that. */
  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
  void onLinuxX8664TheJarHashesWithTheLibsodiumItCarries() throws Exception {
    var process = new ProcessBuilder(java(), "-jar", JAR.toString(), "serve", "--port", "0", "--log-format", "text",
        "--store", "jdbc:sqlite:" + directory.resolve("meshy-auth.db")).redirectErrorStream(true).start();
    try {
      assertThat(ProcessOutput.of(process).await(line -> line.contains("password hashing:")))
          .contains("password hashing: Argon2id: libsodium 1.0.20, native (the copy bundled in lazysodium-java");
    } finally {
      process.destroy();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** With --log-format text the lines are for reading, also when the output is piped; audit lines among them. */
  @Test
  void withLogFormatTextServeWritesReadableLines() throws Exception {
    var process = new ProcessBuilder(java(), "-jar", JAR.toString(), "serve", "--port", "0", "--log-format", "text",
        "--store", "jdbc:sqlite:" + directory.resolve("meshy-auth.db")).redirectErrorStream(true).start();
    try {
      var output = ProcessOutput.of(process);
      var listening = output.await(line -> line.contains("listening on"));
      assertThat(listening).matches(TEXT_LINE + "INFO  meshy-auth listening on http://127\\.0\\.0\\.1:\\d+;.*");
      var port = URI.create(listening.replaceAll(".*listening on (http://[0-9.:]+);.*", "$1")).getPort();
      HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/jar/connect/token"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=jar-client&username=alice"
              + "&password=alice-password")).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(output.await(line -> line.contains("login.succeeded"))).matches(TEXT_LINE
          + "INFO  login\\.succeeded account=jar client=jar-client username=alice user_id=\\S+ ip=127\\.0\\.0\\.1");
      assertThat(output.lines()).noneMatch(line -> line.startsWith("{"));
    } finally {
      process.destroy();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** On a terminal (here a pseudo-terminal from script(1)) serve writes text by itself. */
  @Test
  void onATerminalServeWritesReadableLinesByItself() throws Exception {
    var command = String.join(" ", java(), "-jar", "'" + JAR.toAbsolutePath() + "'", "serve", "--port", "0",
        "--store", "'jdbc:sqlite:" + directory.resolve("meshy-auth.db") + "'");
    var script = new ProcessBuilder("script", "--quiet", "--flush", "--command", command, "/dev/null")
        .redirectErrorStream(true).start();
    try {
      var listening = ProcessOutput.of(script).await(line -> line.contains("listening on"));

      assertThat(listening.strip()).matches(TEXT_LINE + "INFO  meshy-auth listening on http://127\\.0\\.0\\.1:.*");
    } finally {
      script.descendants().forEach(ProcessHandle::destroy);
      script.destroy();
      script.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** What the CLI and the running server left on disk: owner-only files, and no private key in clear. */
  @Test
  void theStoreItsLogAndItsKeyFileAreTheOwnersOnlyAndHoldNoPrivateKeyInClear() throws Exception {
    var files = List.of(directory.resolve("meshy-auth.db"), directory.resolve("meshy-auth.db-wal"),
        directory.resolve("meshy-auth.db-shm"), directory.resolve("meshy-auth.key"));
    if (Files.getFileStore(directory).supportsFileAttributeView(PosixFileAttributeView.class)) {
      for (var file : files) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString())
            .isEqualTo("rw-------");
      }
    }
    var raw = new StringBuilder();
    for (var file : files.subList(0, 2)) {
      raw.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
    }
    // a clear private JWK has its private part in "d" (RFC 7518 section 6.2.2.1); the public JWKs are there
    assertThat(raw).contains("\"kty\":\"EC\"").doesNotContain("\"d\":\"");
  }

  private static int run(String... arguments) throws Exception {
    var command = new ArrayList<>(List.of(java(), "-jar", JAR.toString()));
    command.addAll(List.of(arguments));
    var process = new ProcessBuilder(command).redirectErrorStream(true).start();
    // users create reads the password from standard input
    try (var input = process.getOutputStream()) {
      input.write("alice-password\n".getBytes(StandardCharsets.UTF_8));
    }
    var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return process.exitValue();
  }

  private static HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
    return post(baseUrl, path, form);
  }

  private static HttpResponse<String> post(String base, String path, Map<String, String> form) throws Exception {
    var body = Forms.encode(form);
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
