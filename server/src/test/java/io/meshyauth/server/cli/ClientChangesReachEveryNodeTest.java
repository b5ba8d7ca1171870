package io.meshyauth.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshyauth.server.config.SettingKeys;
import io.meshyauth.server.store.PostgresBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A secret the CLI removes, or a client it deletes, stops working on every running node within 10 seconds, whatever
 * the nodes cache: two nodes on one store (a SQLite file two processes' worth of stores share, or one PostgreSQL
 * database), each asked until it refuses. A node reads a client at most a second old, so the deadline is generous:
 * what is checked is that each node does refuse, and well before the promised bound.
 */
class ClientChangesReachEveryNodeTest {
  private static final Duration PROMISED = Duration.ofSeconds(10);
  private static final String ACCOUNT = "acme";
  private static final String SERVICE = "reports-service";

  /** Asking a node until it refuses spends a unit of the budget a time: not what this test is about. */
  private static final Map<String, String> BUDGETS =
      Map.of(SettingKeys.FAILED_CLIENT_AUTHENTICATIONS_PER_CLIENT_AND_IP, "1000");

  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir
  Path directory;

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"sqlite", "postgresql"})
  void aRemovedSecretAndADeletedClientStopWorkingOnEveryNode(String store) throws Exception {
    var cli = Cli.in(directory, store.equals("sqlite") ? BUDGETS : onPostgres());
    assertThat(cli.run("accounts", "create", ACCOUNT, "--client-id", "acme-web").exitCode()).isZero();
    var first = lastLine(cli.run("clients", "create", ACCOUNT, SERVICE, "--confidential", "--grant",
        "client_credentials"));
    try (var nodeA = LoginServer.start(cli); var nodeB = LoginServer.start(cli)) {
      var nodes = List.of(nodeA, nodeB);
      for (var node : nodes) {
        assertThat(token(node, first)).as("the first secret").isEqualTo(200);
      }

      var second = lastLine(cli.run("clients", "secret", "add", ACCOUNT, SERVICE));
      for (var node : nodes) {
        assertThat(answersWithin(node, second, 200)).as("the second secret beside the first").isTrue();
        assertThat(token(node, first)).as("the first secret still").isEqualTo(200);
      }

      assertThat(cli.run("clients", "secret", "remove", ACCOUNT, SERVICE, "--oldest").exitCode()).isZero();
      for (var node : nodes) {
        assertThat(answersWithin(node, first, 401)).as("the removed secret refused").isTrue();
        assertThat(token(node, second)).as("the remaining secret").isEqualTo(200);
      }

      assertThat(cli.run("clients", "delete", ACCOUNT, SERVICE).exitCode()).isZero();
      for (var node : nodes) {
        assertThat(answersWithin(node, second, 401)).as("the deleted client refused").isTrue();
      }
    }
  }

  private static Map<String, String> onPostgres() {
    var database = PostgresBackend.shared().newDatabase();
    var settings = new HashMap<>(BUDGETS);
    settings.put(SettingKeys.STORE_URL, database.jdbcUrl());
    settings.put(SettingKeys.KEY_ENCRYPTION_KEY_FILE, database.keyFile().toString());
    // nodes sharing PostgreSQL name one issuer
    settings.put(SettingKeys.ISSUER_BASE_URL, "http://127.0.0.1");
    return settings;
  }

  /** Whether the node answers the secret with {@code status} before the promised bound is over. */
  private boolean answersWithin(LoginServer node, String secret, int status) throws Exception {
    var deadline = Instant.now().plus(PROMISED);
    while (Instant.now().isBefore(deadline)) {
      if (token(node, secret) == status) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }

  private int token(LoginServer node, String secret) throws Exception {
    var basic = Base64.getEncoder().encodeToString((SERVICE + ":" + secret).getBytes(StandardCharsets.UTF_8));
    var request = HttpRequest.newBuilder(URI.create(node.baseUrl() + "/" + ACCOUNT + "/connect/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Authorization", "Basic " + basic)
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  /** The new secret, printed alone on the command's last line. */
  private static String lastLine(Cli.Result result) {
    assertThat(result.exitCode()).as(result.all()).isZero();
    return Stream.of(result.out().strip().split("\n")).reduce((a, b) -> b).orElseThrow().strip();
  }
}
