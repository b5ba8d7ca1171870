package io.meshyauth.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.meshyauth.server.courier.WebhookChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kill -9 between the answer and the delivery loses no code. Users register while the webhook's receiver is
 * down, so every code waits in the outbox; the jar is killed with SIGKILL, the receiver comes back, and the jar
 * started again on the same store delivers every code, each of which then verifies its user.
 */
class CourierCrashIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "the-crash-test-webhook-secret";
  private static final int USERS = 8;

  @TempDir
  Path directory;

  @Test
  void everyCodeQueuedBeforeAKillIsDeliveredAfterTheRestart() throws Exception {
    var store = "jdbc:sqlite:" + directory.resolve("courier.db");
    try (var receiver = new Receiver()) {
      var environment = new HashMap<>(JarNode.cheapHashing());
      environment.put("MESHY_AUTH_COURIER_WEBHOOK_URL", receiver.url().toString());
      environment.put("MESHY_AUTH_COURIER_WEBHOOK_SECRET", SECRET);
      JarNode.cli(environment, null, "accounts", "create", "crash", "--client-id", "crash-client",
          "--public-registration", "--verification", "text", "--store", store);

      var answers = new HashMap<String, JsonNode>();
      var first = JarNode.start(store, environment);
      for (int i = 0; i < USERS; i++) {
        var username = "user-" + i;
        var answer = post(first.baseUrl() + "/crash/users/register", "{\"username\":\"" + username
            + "\",\"newPassword\":\"a-long-password\",\"phoneNumber\":\"+1555555000" + i + "\"}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        answers.put(username, JSON.readTree(answer.body()));
      }
      // a receiver that is down never makes the server unready
      assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(first.baseUrl()
          + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
      first.kill();
      assertThat(receiver.delivered()).as("nothing was delivered while the receiver was down").isEmpty();

      receiver.up.set(true);
      try (var second = JarNode.start(store, environment)) {
        // the courier resumes at once, and no wait between attempts is longer than a minute
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (receiver.delivered().size() < USERS && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        assertThat(receiver.delivered().keySet()).containsExactlyInAnyOrderElementsOf(answers.keySet());
        for (var entry : answers.entrySet()) {
          var hash = entry.getValue();
          var verified = post(second.baseUrl() + "/crash/users/verify", "{\"username\":\"" + entry.getKey()
              + "\",\"attempt\":1,\"hash\":\"" + hash.get("hash").asText() + "\",\"expires\":\""
              + hash.get("expires").asText() + "\",\"verificationCode\":\""
              + receiver.delivered().get(entry.getKey()).get("code").asText() + "\"}");
          assertThat(verified.statusCode()).as(entry.getKey() + ": " + verified.body()).isEqualTo(204);
        }
      }
    }
  }

  private static HttpResponse<String> post(String url, String json) throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The webhook's receiver: 503 while down, then keeps each signed message by username. */
  private static final class Receiver implements AutoCloseable {
    final AtomicBoolean up = new AtomicBoolean();
    private final HttpServer http;
    private final Map<String, JsonNode> delivered = new ConcurrentHashMap<>();

    Receiver() throws IOException {
      http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      http.createContext("/codes", exchange -> {
        try (exchange) {
          var body = exchange.getRequestBody().readAllBytes();
          if (!up.get()) {
            exchange.sendResponseHeaders(503, -1);
            return;
          }
          var signature = exchange.getRequestHeaders().getFirst(WebhookChannel.SIGNATURE_HEADER);
          if (!WebhookChannel.verify(SECRET, signature, body, Instant.now(), Duration.ofMinutes(5))) {
            exchange.sendResponseHeaders(401, -1);
            return;
          }
          var message = JSON.readTree(body);
          delivered.put(message.get("username").asText(), message);
          exchange.sendResponseHeaders(200, -1);
        }
      });
      http.start();
    }

    URI url() {
      return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/codes");
    }

    Map<String, JsonNode> delivered() {
      return Map.copyOf(delivered);
    }

    @Override
    public void close() {
      http.stop(0);
    }
  }
}
