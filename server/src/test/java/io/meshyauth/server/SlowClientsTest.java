package io.meshyauth.server;

import static io.meshyauth.server.TestServer.TOKEN_PATH;
import static io.meshyauth.server.TestServer.passwordForm;
import static io.meshyauth.server.testing.Forms.encode;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Slow and numerous connections are cut: a request must arrive whole within the request timeout however slowly it
 * trickles (Jetty's idle timeout restarts with every byte), and no more than the connection limit are open at once.
 * Real sockets against a real server; the only timings asserted are bounds that prove a connection was cut.
 */
class SlowClientsTest {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
  /** Far longer than the request timeout: a trickle still open by then was not cut. */
  private static final Duration GIVE_UP = Duration.ofSeconds(20);
  private static final Duration BYTE_INTERVAL = Duration.ofMillis(300);

  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private TestServer start(Duration requestTimeout, int maxConnections) {
    server = TestServer.start(StoreKind.SQLITE, config -> config.withHttp(
        new ServerConfig.Http(requestTimeout, maxConnections, Optional.empty())));
    return server;
  }

  private static byte[] login() {
    var body = encode(passwordForm());
    return ("POST " + TOKEN_PATH + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void manyRequestsTrickledByteByByteAreAllCutWhileOthersAreServed() throws Exception {
    start(REQUEST_TIMEOUT, 1_000);
    var request = login();
    var trickles = new ArrayList<Trickle>();
    for (int i = 0; i < 20; i++) {
      trickles.add(new Trickle(connect(), request, 0));
    }
    var servedMeanwhile = new ArrayList<Integer>();
    var giveUp = System.nanoTime() + GIVE_UP.toNanos();
    while (trickles.stream().anyMatch(t -> !t.closed) && System.nanoTime() < giveUp) {
      for (var trickle : trickles) {
        trickle.step();
      }
      if (servedMeanwhile.size() < 3) {
        servedMeanwhile.add(server.login().status());
      }
      Thread.sleep(BYTE_INTERVAL.toMillis());
    }

    assertThat(trickles).allSatisfy(trickle -> {
      assertThat(trickle.closed).as("closed by the server").isTrue();
      assertThat(trickle.answered).as("never answered").isFalse();
      assertThat(trickle.sent).as("cut while still sending").isLessThan(request.length);
    });
    assertThat(servedMeanwhile).containsOnly(200);
    assertThat(server.login().status()).isEqualTo(200);
  }

  @Test
  void aBodyTrickledByteByByteAfterItsHeadersIsCut() throws Exception {
    start(REQUEST_TIMEOUT, 1_000);
    var request = login();
    var headersEnd = new String(request, StandardCharsets.US_ASCII).indexOf("\r\n\r\n") + 4;
    var trickle = new Trickle(connect(), request, headersEnd);

    var giveUp = System.nanoTime() + GIVE_UP.toNanos();
    while (!trickle.closed && System.nanoTime() < giveUp) {
      trickle.step();
      Thread.sleep(BYTE_INTERVAL.toMillis());
    }

    assertThat(trickle.closed).as("closed by the server").isTrue();
    assertThat(trickle.sent).as("cut while still sending the body").isLessThan(request.length);
    assertThat(server.login().status()).isEqualTo(200);
  }

  @Test
  void aConnectionThatSendsNothingIsClosedAtTheRequestTimeout() throws Exception {
    start(REQUEST_TIMEOUT, 1_000);

    try (var socket = connect()) {
      socket.setSoTimeout((int) GIVE_UP.toMillis());
      assertThat(readOrClosed(socket.getInputStream())).as("closed without an answer").isEqualTo(-1);
    }
  }

  @Test
  void aKeptAliveConnectionServesRequestsAfterTheRequestTimeoutWhenEachArrivesInTime() throws Exception {
    start(REQUEST_TIMEOUT, 1_000);

    try (var socket = connect()) {
      for (int i = 0; i < 2; i++) {
        socket.getOutputStream().write(login());
        assertThat(readStatusLine(socket.getInputStream())).startsWith("HTTP/1.1 200");
        drain(socket);
        // idle longer than the request timeout between requests: the idle timeout governs that
        Thread.sleep(REQUEST_TIMEOUT.toMillis() + 1_000);
      }
    }
  }

  @Test
  void noMoreThanTheConnectionLimitAreServedAtOnce() throws Exception {
    var limit = 3;
    start(Duration.ofSeconds(60), limit);
    var held = new ArrayList<Socket>();
    for (int i = 0; i < limit; i++) {
      // a full exchange proves the server accepted the connection; keep-alive keeps it open
      var socket = connect();
      socket.getOutputStream().write(login());
      assertThat(readStatusLine(socket.getInputStream())).startsWith("HTTP/1.1 200");
      drain(socket);
      held.add(socket);
    }

    try (var extra = connect()) {
      // the operating system may queue it, or Jetty accept and close it at once; it is never served
      extra.getOutputStream().write(login());
      extra.setSoTimeout(2_000);
      assertThat(answerOrNothing(extra.getInputStream())).as("no answer past the limit").isEmpty();

      held.remove(0).close();
      for (var socket : held) {
        socket.close();
      }
    }
    assertThat(server.login().status()).as("served again below the limit").isEqualTo(200);
  }

  private Socket connect() throws IOException {
    var uri = URI.create(server.server.baseUrl());
    return new Socket(uri.getHost(), uri.getPort());
  }

  private static String readStatusLine(InputStream in) throws IOException {
    var line = new StringBuilder();
    for (int c; (c = in.read()) != -1 && c != '\n'; ) {
      line.append((char) c);
    }
    return line.toString().trim();
  }

  /** Reads the rest of an answer (headers and a Content-Length body) so the next one starts clean. */
  private static void drain(Socket socket) throws IOException {
    var in = socket.getInputStream();
    int length = 0;
    for (String line; !(line = readStatusLine(in)).isEmpty(); ) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    in.readNBytes(length);
  }

  private static int readOrClosed(InputStream in) {
    try {
      return in.read();
    } catch (SocketTimeoutException e) {
      return -2;
    } catch (IOException e) {
      return -1;
    }
  }

  private static String answerOrNothing(InputStream in) {
    try {
      var first = in.read();
      return first == -1 ? "" : (char) first + new String(in.readNBytes(11), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      // timed out, or reset: no answer either way
      return "";
    }
  }

  /** One connection sending its request one byte per step, and what became of it. */
  private static final class Trickle {
    private final Socket socket;
    private final byte[] request;
    int sent;
    boolean closed;
    boolean answered;

    Trickle(Socket socket, byte[] request, int sentAtOnce) throws IOException {
      this.socket = socket;
      this.request = request;
      socket.setSoTimeout(1);
      socket.getOutputStream().write(request, 0, sentAtOnce);
      this.sent = sentAtOnce;
    }

    void step() {
      if (closed) {
        return;
      }
      try {
        if (sent < request.length) {
          socket.getOutputStream().write(request[sent]);
          socket.getOutputStream().flush();
          sent++;
        }
        var read = socket.getInputStream().read();
        if (read == -1) {
          close();
        } else {
          answered = true;
          close();
        }
      } catch (SocketTimeoutException e) {
        // still open, nothing to read
      } catch (IOException e) {
        close();
      }
    }

    private void close() {
      closed = true;
      try {
        socket.close();
      } catch (IOException e) {
        // closed already
      }
    }
  }
}
