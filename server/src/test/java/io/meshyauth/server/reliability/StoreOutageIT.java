package io.meshyauth.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshyauth.server.store.RestartablePostgres;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The runnable jar on PostgreSQL, the database stopped under load for a few seconds and started again: every
 * answer is a 200 or a fast 503, and the node's log, as it logs in production, says so in two lines.
 */
class StoreOutageIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final java.util.regex.Pattern MILLIS = java.util.regex.Pattern.compile("\"ms\":\"([0-9.]+)\"");
  private static final String PASSWORD = "outage-password";
  /** A client that gives up after this long fails the test: the pool used to make requests wait 30 s. */
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(8);

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void theJarAnswers503WhileItsDatabaseIsDownLogsTheOutageInTwoLinesAndRecovers() throws Exception {
    try (var postgres = RestartablePostgres.start(Map.of())) {
      var database = postgres.newDatabase("outage_jar");
      var environment = new HashMap<>(JarNode.cheapHashing());
      environment.put("MESHY_AUTH_KEYS_ENCRYPTION_KEY_FILE", database.keyFile().toString());
      environment.put("MESHY_AUTH_TOKENS_REFRESH_GRACE_WINDOW", "5m");
      JarNode.cli(environment, null, "accounts", "create", "mesh", "--client-id", "mesh-client",
          "--store", database.jdbcUrl());
      JarNode.cli(environment, PASSWORD, "users", "create", "mesh", "alice", "--store", database.jdbcUrl());
      try (var node = JarNode.startKeepingOutput(database.jdbcUrl(), environment, "https://auth.mesh.example")) {
        var statuses = new ConcurrentLinkedQueue<Integer>();
        var failures = new ConcurrentLinkedQueue<Throwable>();
        var running = new AtomicBoolean(true);
        var down = new AtomicBoolean();
        var recovered = new ConcurrentLinkedQueue<Integer>();
        var workers = Executors.newFixedThreadPool(4);
        try {
          for (int i = 0; i < 4; i++) {
            var token = new AtomicReference<>(login(node).path("refresh_token").asText());
            workers.submit(() -> {
              try {
                while (running.get()) {
                  var wasDown = down.get();
                  var answer = post(node, Map.of("grant_type", "refresh_token", "client_id", "mesh-client",
                      "refresh_token", token.get()));
                  statuses.add(answer.statusCode());
                  if (answer.statusCode() == 200) {
                    token.set(JSON.readTree(answer.body()).path("refresh_token").asText());
                    if (!wasDown && statuses.contains(503)) {
                      recovered.add(200);
                    }
                  } else {
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
                    assertThat(answer.headers().firstValue("Retry-After")).isPresent();
                  }
                }
              } catch (Throwable e) {
                failures.add(e);
              }
            });
          }
          Thread.sleep(1_000);
          down.set(true);
          postgres.stop();
          Thread.sleep(4_000);
          postgres.start();
          down.set(false);
          var deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
          while (recovered.size() < 8 && failures.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
          }
        } finally {
          running.set(false);
          workers.shutdown();
          assertThat(workers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }

        var lines = node.output().stream().filter(line -> line.startsWith("{")).map(StoreOutageIT::parse).toList();
        var troubled = lines.stream().filter(line -> !line.path("throwable").isMissingNode()
            && !line.path("throwable").isNull() || "ERROR".equals(line.path("level").asText())).toList();
        assertThat(failures).as("requests that failed or timed out after %s; the node logged %s", CLIENT_TIMEOUT,
            troubled).isEmpty();
        assertThat(statuses).containsOnly(200, 503).contains(503);
        assertThat(recovered).as("refreshes answered after the restart").hasSizeGreaterThanOrEqualTo(8);
        var outage = lines.stream().map(line -> line.path("formattedMessage").asText())
            .filter(message -> message.startsWith("the store is ")).toList();
        assertThat(outage).hasSize(2);
        assertThat(outage.get(0)).startsWith("the store is unreachable: ");
        assertThat(outage.get(1)).startsWith("the store is reachable again, after ");
        assertThat(troubled).as("no stack trace, no error").isEmpty();
        // the figures the README quotes: how long the server took over its 503s, by its request log
        var millis = node.output().stream().filter(line -> line.contains("\"status\":\"503\""))
            .map(MILLIS::matcher).filter(java.util.regex.Matcher::find)
            .map(match -> Double.parseDouble(match.group(1))).sorted().toList();
        System.out.printf("answers: %d, of which 503: %d, taking %s ms (median) and %s ms (most) by the request "
            + "log; %s%n", statuses.size(), millis.size(), millis.isEmpty() ? "-" : millis.get(millis.size() / 2),
            millis.isEmpty() ? "-" : millis.get(millis.size() - 1), outage);
      }
    }
  }

  private JsonNode login(JarNode node) throws Exception {
    var answer = post(node, Map.of("grant_type", "password", "client_id", "mesh-client", "username", "alice",
        "password", PASSWORD, "scope", "meshy.api offline_access"));
    assertThat(answer.statusCode()).isEqualTo(200);
    return JSON.readTree(answer.body());
  }

  private HttpResponse<String> post(JarNode node, Map<String, String> form) throws Exception {
    var body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    return http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/mesh/connect/token"))
        .timeout(CLIENT_TIMEOUT).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (Exception e) {
      throw new AssertionError("not a JSON log line: " + line, e);
    }
  }
}
