package io.meshyauth.server;

import static io.meshyauth.server.TestServer.ACCOUNT;
import static io.meshyauth.server.TestServer.TOKEN_PATH;
import static io.meshyauth.server.TestServer.passwordForm;
import static io.meshyauth.server.testing.Forms.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.report.MessageResolver;
import com.atlassian.oai.validator.schema.SchemaValidator;
import io.swagger.v3.parser.OpenAPIV3Parser;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What Jetty and Javalin refuse before our routes answers in the document's error schemas as JSON: never Jetty's
 * HTML page or plain text. Sent over a plain socket, byte for byte as written.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(StoreKind.class)
class HttpErrorsTest {
  private static final String DISCOVERY_PATH = "/" + ACCOUNT + "/.well-known/openid-configuration";
  private static final String FORM = "application/x-www-form-urlencoded";

  private final TestServer server;
  private final RawHttp raw;

  HttpErrorsTest(StoreKind store) {
    server = TestServer.start(store);
    raw = new RawHttp(server.server.baseUrl());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a%2fb/connect/token", "/acme%2Fx/connect/token", "/acme%00/connect/token",
      "/%2e%2e/connect/token", "/acme/%2e%2e/acme/connect/token", "/acme/connect/%zz", "/acme%/connect/token"})
  void aMalformedPathIsInvalidRequest(String path) {
    var answer = raw.send("POST", path, Map.of("Content-Type", FORM), encode(passwordForm()));

    assertInvalidRequest(answer);
  }

  @Test
  void headersOverTheLimitAreInvalidRequest() {
    var answer = raw.send("POST", TOKEN_PATH, Map.of("Content-Type", FORM, "X-Padding", "x".repeat(64 * 1024)),
        encode(passwordForm()));

    assertInvalidRequest(answer);
    assertThat(answer.json().get("error_description").asText()).isEqualTo("The request headers are too large.");
  }

  @Test
  void aRequestLineOverTheLimitIsInvalidRequest() {
    var answer = raw.send("POST", TOKEN_PATH + "?" + "x".repeat(64 * 1024), Map.of("Content-Type", FORM),
        encode(passwordForm()));

    assertInvalidRequest(answer);
  }

  @Test
  void aBodyOverTheLimitIsInvalidRequest() {
    var answer = raw.send("POST", TOKEN_PATH, Map.of("Content-Type", FORM),
        encode(passwordForm()) + "&padding=" + "x".repeat(64 * 1024));

    assertInvalidRequest(answer);
    assertThat(answer.json().get("error_description").asText()).isEqualTo("The request body is too large.");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/acme", "/acme/connect", "/acme/connect/token/more", "/favicon.ico",
      "/acme/users/me/unknown", "/acme/roles/x/permissions/y/z"})
  void anUnknownPathIsNotFound(String path) {
    var answer = raw.send("POST", path, Map.of("Content-Type", FORM), encode(passwordForm()));

    assertThat(answer.status()).isEqualTo(404);
    assertJson(answer);
    assertThat(answer.json().get("error").asText()).isEqualTo("not_found");
    assertConformsToSchema(answer, "NotFoundError");
  }

  /**
   * OpenAPI matches a concrete path before a templated one: {@code GET users/resetpassword} is that path asked with
   * a method it lacks, not the user with id "resetpassword", although {@code users/{id}} answers GET.
   */
  @ParameterizedTest
  @ValueSource(strings = {"GET /acme/users/resetpassword", "PUT /acme/users/register", "DELETE /acme/users/me",
      "GET /acme/users/verify"})
  void aConcretePathBesideUsersIdAskedWithAnotherMethodIsMethodNotAllowed(String request) {
    var methodAndPath = request.split(" ");
    var answer = raw.send(methodAndPath[0], methodAndPath[1]);

    assertThat(answer.status()).isEqualTo(405);
    assertThat(answer.header("Allow")).isEqualTo(methodAndPath[1].endsWith("/me") ? "GET, HEAD, PUT" : "POST");
    assertThat(answer.json().get("error").asText()).isEqualTo("method_not_allowed");
  }

  @Test
  void theConcretePathsBesideUsersIdAreTheDocuments() {
    var document = new OpenAPIV3Parser().read(getClass().getClassLoader().getResource("openapi/meshy-auth.yaml")
        .toString());
    var concrete = new java.util.TreeMap<String, String>();
    document.getPaths().forEach((path, item) -> {
      var match = java.util.regex.Pattern.compile("/\\{accountName}/users/([a-z]+)").matcher(path);
      if (match.matches()) {
        concrete.put(match.group(1), String.join(", ", item.readOperationsMap().keySet().stream()
            .map(Enum::name).sorted().toList()));
      }
    });

    assertThat(concrete).isEqualTo(new java.util.TreeMap<>(
        io.meshyauth.server.web.AdministrationEndpoint.CONCRETE_USER_PATHS));
  }

  @Test
  void anUnknownPathAskedWithGetIsNotFound() {
    var answer = raw.send("GET", "/acme/nothing-here");

    assertThat(answer.status()).isEqualTo(404);
    assertJson(answer);
    assertConformsToSchema(answer, "NotFoundError");
  }

  @ParameterizedTest
  @ValueSource(strings = {"PUT", "DELETE", "GET", "PATCH", "OPTIONS"})
  void theTokenPathAskedWithAnotherMethodIsMethodNotAllowedWithAllow(String method) {
    var answer = raw.send(method, TOKEN_PATH, Map.of("Content-Type", FORM), encode(passwordForm()));

    assertThat(answer.status()).isEqualTo(405);
    assertThat(answer.header("Allow")).isEqualTo("POST");
    assertJson(answer);
    assertThat(answer.json().get("error").asText()).isEqualTo("method_not_allowed");
    assertConformsToOperation(answer, TOKEN_PATH, Request.Method.POST);
  }

  @Test
  void aWrongMethodWhoseChunkedBodyArrivesLateIsAnsweredAndTheConnectionServesTheNextRequest() throws Exception {
    var answers = withAChunkedBodyArrivingLate("PUT " + TOKEN_PATH);

    assertThat(answers).startsWith("HTTP/1.1 405 ").contains("\"method_not_allowed\"");
    assertThat(answers.split("HTTP/1\\.1 ", -1)).as(answers).hasSize(3);
    assertThat(answers.substring(answers.lastIndexOf("HTTP/1.1 "))).startsWith("HTTP/1.1 200 ");
  }

  /** A request the parser gives up on is answered at once: its body, whatever it says, is not waited for. */
  @Test
  void aMalformedHeaderIsAnsweredWithoutWaitingForTheBodyItAnnounced() throws Exception {
    try (var socket = new java.net.Socket("127.0.0.1", server.server.port())) {
      // well under the server's request deadline (10 s): an answer that waited for the body would come after it
      socket.setSoTimeout(5_000);
      var out = socket.getOutputStream();
      out.write(("POST " + TOKEN_PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + FORM + "\r\n"
          + "Content-Length: 100\r\nthis line has no colon\r\n\r\ngrant_type=")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.flush();
      var answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

      assertThat(answer).startsWith("HTTP/1.1 400 ").contains("\"invalid_request\"");
    }
  }

  /**
   * Sends the request line's request with a chunked form body whose second chunk comes after the server could
   * answer, then a GET on the same connection; what came back.
   */
  private String withAChunkedBodyArrivingLate(String requestLine) throws Exception {
    var host = "Host: 127.0.0.1:" + server.server.port() + "\r\n";
    var form = encode(passwordForm());
    try (var socket = new java.net.Socket("127.0.0.1", server.server.port())) {
      socket.setSoTimeout(30_000);
      var out = socket.getOutputStream();
      out.write((requestLine + " HTTP/1.1\r\n" + host + "Content-Type: " + FORM + "\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(5) + "\r\n" + form.substring(0, 5) + "\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.flush();
      // the request is refused once the headers are in: the rest of the body comes after the server could answer
      Thread.sleep(300);
      var rest = form.substring(5);
      out.write((Integer.toHexString(rest.length()) + "\r\n" + rest + "\r\n0\r\n\r\n"
          + "GET " + DISCOVERY_PATH + " HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  @Test
  void headAnswersAsGetWouldWithoutTheBody() {
    var known = raw.send("HEAD", DISCOVERY_PATH);
    var unknown = raw.send("HEAD", "/no-such-account/.well-known/openid-configuration");

    assertThat(known.status()).isEqualTo(200);
    assertThat(known.header("Content-Type")).startsWith("application/json");
    assertThat(known.body()).isEmpty();
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body()).isEmpty();
  }

  @Test
  void discoveryAskedWithPostIsMethodNotAllowedListingGetAndHead() {
    var answer = raw.send("POST", DISCOVERY_PATH, Map.of("Content-Type", FORM), "");

    assertThat(answer.status()).isEqualTo(405);
    assertThat(answer.header("Allow")).isEqualTo("GET, HEAD");
    assertJson(answer);
    assertConformsToOperation(answer, DISCOVERY_PATH, Request.Method.GET);
  }

  @Test
  void aMalformedDiscoveryPathIsInvalidRequest() {
    var answer = raw.send("GET", "/acme%2f/.well-known/openid-configuration");

    assertThat(answer.status()).isEqualTo(400);
    assertJson(answer);
    assertConformsToOperation(answer, DISCOVERY_PATH, Request.Method.GET);
  }

  private static void assertInvalidRequest(RawHttp.Answer answer) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(400);
    assertJson(answer);
    assertThat(answer.json().get("error").asText()).isEqualTo("invalid_request");
    assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
    assertConformsToOperation(answer, TOKEN_PATH, Request.Method.POST);
  }

  private static void assertJson(RawHttp.Answer answer) {
    assertThat(answer.header("Content-Type")).as(answer.body()).startsWith("application/json");
    assertThat(answer.json().isObject()).isTrue();
  }

  /** The answer is one the document declares for that operation (status, headers, body schema). */
  private static void assertConformsToOperation(RawHttp.Answer answer, String path, Request.Method method) {
    var report = SpecCheckedHttp.VALIDATOR.validateResponse(path, method, answer.asValidatorResponse());
    assertThat(report.getMessages()).as("answer conforms to the OpenAPI document").isEmpty();
  }

  /** For a path the document does not list: the body is the named schema of the document. */
  private static void assertConformsToSchema(RawHttp.Answer answer, String schema) {
    var api = new OpenAPIV3Parser().read(HttpErrorsTest.class.getClassLoader()
        .getResource("openapi/meshy-auth.yaml").toString());
    var report = new SchemaValidator(api, new MessageResolver())
        .validate(answer.body(), api.getComponents().getSchemas().get(schema), "response.body");
    assertThat(report.getMessages()).as("body conforms to " + schema).isEmpty();
  }
}
