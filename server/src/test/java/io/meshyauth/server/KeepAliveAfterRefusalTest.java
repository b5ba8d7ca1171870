package io.meshyauth.server;

import static io.meshyauth.server.TestServer.ACCOUNT;
import static io.meshyauth.server.TestServer.TOKEN_PATH;
import static io.meshyauth.server.TestServer.passwordForm;
import static io.meshyauth.server.testing.Forms.encode;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A refused request followed by a valid one on the same kept-alive connection, as a client's connection pool sends
 * them (Node's default agent, Java's HttpClient). Either the valid request is answered, or the refusal said
 * {@code Connection: close} so that the client never puts a closed connection back in its pool (RFC 9112 section
 * 9.6). Where the refused request's body is small and arrives whole, the connection stays open.
 */
class KeepAliveAfterRefusalTest {
  private static final String FORM = "application/x-www-form-urlencoded";
  private static final String LOGIN = encode(passwordForm());
  private static final String OVERSIZED = LOGIN + "&padding=" + "x".repeat(20_000);

  private static TestServer server;
  private static String host;
  private static int port;

  @BeforeAll
  static void start() {
    server = TestServer.start(StoreKind.SQLITE);
    var uri = URI.create(server.server.baseUrl());
    host = uri.getHost();
    port = uri.getPort();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /**
   * The refusals of {@code SpecFuzzIT}'s request-line mutations and of {@code HttpErrorsTest}, each with the
   * form body a client would send. {@code keeps}: whether the connection must stay open after it.
   */
  static Stream<Arguments> refusals() {
    return Stream.of(
        // Jetty's parser refuses the request line itself: nothing tells it where the next request begins
        refusal("POST /%2e%2e/connect/token", LOGIN, false),
        refusal("POST /" + ACCOUNT + "%00/connect/token", LOGIN, false),
        refusal("POST /" + ACCOUNT + "%/connect/token", LOGIN, false),
        refusal("POST /" + ACCOUNT + "/connect/%zz", LOGIN, false),
        // refused after the headers were read: the body is read and the connection kept
        refusal("POST /a%2fb/connect/token", LOGIN, true),
        refusal("POST /" + ACCOUNT + "%2Fx/connect/token", LOGIN, true),
        refusal("POST /..%2f" + ACCOUNT + "/connect/token", LOGIN, true),
        refusal("POST /" + ACCOUNT + "/%2e%2e/" + ACCOUNT + "/connect/token", LOGIN, true),
        refusal("POST *", LOGIN, true),
        refusal("POST /no/such/path", LOGIN, true),
        refusal("PUT " + TOKEN_PATH, LOGIN, true),
        refusal("DELETE " + TOKEN_PATH, LOGIN, true),
        refusal("POST /nobody/connect/token", LOGIN, true),
        refusal("POST " + TOKEN_PATH, "grant_type=password&client_id=%zz", true),
        refusal("POST " + TOKEN_PATH, "client_id=" + ACCOUNT + "-public-key&grant_type=nonsense", true),
        refusal("GET " + TOKEN_PATH + "?" + LOGIN, null, true),
        refusal("POST /" + ACCOUNT + "/connect/revocation", "token=%zz", true),
        refusal("POST /" + ACCOUNT + "/users/register/anonymous", "{not json", true),
        // a body over server.max-request-bytes: kept when it has all arrived by the time of the answer, which is
        // up to the network, and closed with Connection: close otherwise
        refusal("POST " + TOKEN_PATH, OVERSIZED, null));
  }

  /** {@code keeps}: whether the connection must stay open after the refusal; null when either is right. */
  private static Arguments refusal(String requestLine, String body, Boolean keeps) {
    return Arguments.of(requestLine, body, keeps);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void theNextRequestOnTheConnectionIsAnsweredOrTheRefusalSaidItCloses(String requestLine, String body, Boolean keeps)
      throws IOException {
    try (var socket = new Socket(host, port)) {
      socket.setSoTimeout(30_000);
      send(socket, requestLine, body, body == null ? -1 : body.getBytes(StandardCharsets.UTF_8).length);

      var refused = Answer.read(socket.getInputStream());
      assertThat(refused.status()).as("refused with a 4xx").isBetween(400, 499);
      var saidClose = "close".equalsIgnoreCase(refused.header("connection"));

      send(socket, "POST " + TOKEN_PATH, LOGIN, LOGIN.length());
      var next = Answer.readOrEnd(socket.getInputStream());
      if (next == null) {
        assertThat(saidClose).as("the connection closed after the refusal, which said Connection: close").isTrue();
      } else {
        assertThat(next.status()).as("the valid login on the same connection").isEqualTo(200);
      }
      if (keeps != null) {
        assertThat(next != null).as("the connection stayed open").isEqualTo(keeps);
      }
    }
  }

  /** A body still arriving when the server refuses it: the refusal says the connection closes, and it does. */
  @Test
  void aRefusalSentBeforeItsBodyArrivedSaysConnectionClose() throws IOException {
    for (var requestLine : new String[] {"POST " + TOKEN_PATH, "POST /a%2fb/connect/token", "POST /no/such/path"}) {
      try (var socket = new Socket(host, port)) {
        socket.setSoTimeout(30_000);
        // announces more than it sends, and more than server.max-request-bytes
        send(socket, requestLine, OVERSIZED, OVERSIZED.length() + 100_000);

        var refused = Answer.read(socket.getInputStream());

        assertThat(refused.status()).as(requestLine).isBetween(400, 499);
        assertThat(refused.header("connection")).as(requestLine).isEqualToIgnoringCase("close");
        assertThat(Answer.readOrEnd(socket.getInputStream())).as(requestLine).isNull();
      }
    }
  }

  /** The request in one write, as a client sends a small one: its body arrives with its headers. */
  private static void send(Socket socket, String requestLine, String body, long contentLength) throws IOException {
    var head = new StringBuilder(requestLine).append(" HTTP/1.1\r\nHost: ").append(host).append(':').append(port)
        .append("\r\n");
    if (body != null) {
      head.append("Content-Type: ").append(FORM).append("\r\nContent-Length: ").append(contentLength).append("\r\n");
    }
    var request = new ByteArrayOutputStream();
    request.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    if (body != null) {
      request.write(body.getBytes(StandardCharsets.UTF_8));
    }
    var out = socket.getOutputStream();
    out.write(request.toByteArray());
    out.flush();
  }

  /** One answer read off a kept-alive connection by its Content-Length (or chunks), leaving the next in place. */
  private record Answer(int status, Map<String, String> headers) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    static Answer read(InputStream in) throws IOException {
      var answer = readOrEnd(in);
      assertThat(answer).as("an answer before the connection closed").isNotNull();
      return answer;
    }

    /** The next answer, or null when the connection closed (or was reset) before one began. */
    static Answer readOrEnd(InputStream in) throws IOException {
      String statusLine;
      try {
        statusLine = line(in);
      } catch (SocketException reset) {
        return null;
      }
      if (statusLine == null) {
        return null;
      }
      var headers = new LinkedHashMap<String, String>();
      for (var line = line(in); line != null && !line.isEmpty(); line = line(in)) {
        var colon = line.indexOf(':');
        headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
      }
      if (headers.containsKey("content-length")) {
        in.readNBytes(Integer.parseInt(headers.get("content-length")));
      } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        for (int size; (size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) > 0; ) {
          in.readNBytes(size + 2);
        }
        line(in);
      }
      return new Answer(Integer.parseInt(statusLine.split(" ")[1]), headers);
    }

    private static String line(InputStream in) throws IOException {
      var bytes = new ByteArrayOutputStream();
      for (int b; (b = in.read()) >= 0; ) {
        if (b == '\n') {
          var text = bytes.toString(StandardCharsets.ISO_8859_1);
          return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        }
        bytes.write(b);
      }
      return bytes.size() == 0 ? null : bytes.toString(StandardCharsets.ISO_8859_1);
    }
  }
}
