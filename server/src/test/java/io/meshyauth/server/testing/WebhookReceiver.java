package io.meshyauth.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.meshyauth.server.courier.WebhookChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP receiver of the courier's webhook on a free loopback port: it records each request's signature
 * header and body, and answers each with the next status it was given ({@link #answer}), 200 once they run out,
 * or 503 to everything while it is {@linkplain #down down}.
 */
public final class WebhookReceiver implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request as it arrived. */
  public record Received(String signature, byte[] body) {
    /** Whether the signature checks out under {@code secret} now, as a receiver checks it. */
    public boolean signedWith(String secret) {
      return WebhookChannel.verify(secret, signature, body, Instant.now(), Duration.ofMinutes(5));
    }

    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private final HttpServer server;
  private final List<Received> received = new ArrayList<>();
  private final Queue<Integer> statuses = new ArrayDeque<>();
  private boolean down;

  public WebhookReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/courier", exchange -> {
      try (exchange) {
        var body = exchange.getRequestBody().readAllBytes();
        int status;
        synchronized (this) {
          if (down) {
            status = 503;
          } else {
            received.add(new Received(exchange.getRequestHeaders().getFirst(WebhookChannel.SIGNATURE_HEADER), body));
            var next = statuses.poll();
            status = next == null ? 200 : next;
          }
        }
        exchange.sendResponseHeaders(status, -1);
      }
    });
    server.start();
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/courier");
  }

  /** The statuses of the next requests, in order. */
  public synchronized void answer(Integer... next) {
    statuses.addAll(List.of(next));
  }

  /** While down, every request is answered 503 and not recorded. */
  public synchronized void down(boolean isDown) {
    down = isDown;
  }

  /** What was received and answered, in order. */
  public synchronized List<Received> received() {
    return List.copyOf(received);
  }

  /**
   * The bodies of the first {@code count} requests signed with {@code secret}, waiting for them up to a minute (a
   * bounded wait for the courier, which delivers at once; nothing is timed).
   */
  public List<JsonNode> awaitSigned(String secret, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    List<JsonNode> signed;
    do {
      signed = received().stream().filter(request -> request.signedWith(secret)).map(Received::json).toList();
      if (signed.size() >= count) {
        return signed;
      }
      Thread.sleep(20);
    } while (System.nanoTime() < deadline);
    assertThat(signed).as("signed messages the webhook received").hasSizeGreaterThanOrEqualTo(count);
    return signed;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
