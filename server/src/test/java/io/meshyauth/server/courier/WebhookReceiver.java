package io.meshyauth.server.courier;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/**
 * A real HTTP receiver of the courier's webhook on a free loopback port: it records each request's signature
 * header and body, and answers each with the next status it was given ({@link #answer}), 200 once they run out.
 */
final class WebhookReceiver implements AutoCloseable {
  record Received(String signature, byte[] body) {
  }

  private final HttpServer server;
  private final List<Received> received = new ArrayList<>();
  private final Queue<Integer> statuses = new ArrayDeque<>();

  WebhookReceiver() {
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
          received.add(new Received(exchange.getRequestHeaders().getFirst(WebhookChannel.SIGNATURE_HEADER), body));
          var next = statuses.poll();
          status = next == null ? 200 : next;
        }
        exchange.sendResponseHeaders(status, -1);
      }
    });
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/courier");
  }

  /** The statuses of the next requests, in order. */
  synchronized void answer(Integer... next) {
    statuses.addAll(List.of(next));
  }

  synchronized List<Received> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
