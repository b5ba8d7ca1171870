package io.meshyauth.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshyauth.server.testing.WebhookReceiver;
import io.meshyauth.server.testing.WebhookReceiver.Received;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;
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
    try (var receiver = new WebhookReceiver()) {
      receiver.down(true);
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
      assertThat(receiver.received()).as("nothing was delivered while the receiver was down").isEmpty();

      receiver.down(false);
      try (var second = JarNode.start(store, environment)) {
        // the courier resumes at once, and no wait between attempts is longer than a minute
        var delivered = new HashMap<String, JsonNode>();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (delivered.size() < USERS && System.nanoTime() < deadline) {
          Thread.sleep(100);
          receiver.received().stream().filter(request -> request.signedWith(SECRET)).map(Received::json)
              .forEach(message -> delivered.put(message.get("username").asText(), message));
        }
        assertThat(delivered.keySet()).containsExactlyInAnyOrderElementsOf(answers.keySet());
        for (var entry : answers.entrySet()) {
          var hash = entry.getValue();
          var verified = post(second.baseUrl() + "/crash/users/verify", "{\"username\":\"" + entry.getKey()
              + "\",\"attempt\":1,\"hash\":\"" + hash.get("hash").asText() + "\",\"expires\":\""
              + hash.get("expires").asText() + "\",\"verificationCode\":\""
              + delivered.get(entry.getKey()).get("code").asText() + "\"}");
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
}
