package io.meshyauth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshyauth.server.limit.LoginThrottle.Budgets;
import io.meshyauth.server.store.jdbc.JdbcStores;
import io.meshyauth.server.values.Operations;
import io.meshyauth.server.values.Password;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Flow;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests derived from every operation of the OpenAPI document, then mutated the ways a broken or hostile client
 * would. Every answer must be one the document declares for that operation, never a 5xx, and a refused request
 * changes nothing in the store. Seeded: {@code -Dfuzz.seed=N} replays a run, {@code -Dfuzz.requests=N} sets its
 * length (10,000 by default, 100,000 in the {@code reliability} profile).
 */
class SpecFuzzIT {
  private static final String SPEC = "openapi/meshy-auth.yaml";
  private static final OpenApiInteractionValidator VALIDATOR = OpenApiInteractionValidator
      .createForSpecificationUrl(Objects.requireNonNull(SpecFuzzIT.class.getClassLoader().getResource(SPEC))
          .toString()).build();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FORM = "application/x-www-form-urlencoded";
  private static final int MAX_REQUEST_BYTES = 16_384;
  private static final List<String> INJECTIONS = List.of("' OR '1'='1", "\"; DROP TABLE users; --", "<script>x</script>",
      "${jndi:ldap://127.0.0.1/x}", "../../../../etc/passwd", "%00", "{{7*7}}", "\\u0000", "\u202e\u0000\uffff",
      "$argon2id$v=19$m=1,t=1,p=1$AAAA$AAAA", "admin\r\nX-Injected: 1", "😀".repeat(50));

  /** Mutations of the request line that Jetty answers before our code runs. */
  enum RequestLineMutation { WRONG_METHOD, WRONG_PATH, BAD_PERCENT_IN_PATH, ENCODED_SLASH_IN_PATH, ENCODED_NUL_IN_PATH }

  private static final Set<RequestLineMutation> REQUEST_LINE_MUTATIONS = EnumSet.allOf(RequestLineMutation.class);

  enum Mutation {
    NONE, MISSING, EMPTY, REPEATED, OVERSIZED_VALUE, WRONG_TYPE, INVALID_UTF8, BAD_PERCENT, CONTROL_CHARACTERS,
    HUGE_SCOPE, INJECTION, UNKNOWN_PARAMETER, WRONG_CONTENT_TYPE, MISSING_CONTENT_TYPE, CHUNKED, OVERSIZED_BODY,
    UNKNOWN_ACCOUNT, STRANGE_ACCOUNT
  }

  private record Endpoint(String template, PathItem.HttpMethod method, Operation operation, String mediaType,
      Map<String, Schema<?>> properties) {
  }

  private record Sent(String method, String path, String contentType, byte[] body, boolean chunked,
      String description, String authorization) {
  }

  /** Jetty's 400 for these paths comes before any route, and with the connection closed, its body unread. */
  private static boolean refusedForItsPathWithABody(Sent sent) {
    return sent.body().length > 0 && Stream.of(RequestLineMutation.ENCODED_SLASH_IN_PATH,
        RequestLineMutation.ENCODED_NUL_IN_PATH, RequestLineMutation.BAD_PERCENT_IN_PATH)
        .anyMatch(mutation -> sent.description().contains(mutation.name()));
  }

  @TempDir
  Path directory;
  private MeshyAuthServer server;
  private Path file;
  private String liveRefreshToken;
  /** Alice administers the account: the bearer operations are fuzzed with her token, mostly. */
  private String adminToken;
  private String aliceId;
  private String roleId;
  private String permissionId;
  private java.sql.Connection storeReader;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void start() {
    file = directory.resolve("fuzz.db");
    // limits high enough that the fuzz reaches the grant logic rather than a 429 after a few requests
    var config = ServerConfig.defaults().withPort(0).withArgon2(TestServer.FAST_ARGON2)
        .withShutdownGrace(Duration.ZERO)
        // a replay after the window revokes its family on a 400 by design (RFC 9700 section 4.14.2): with a long
        // window every refused request must leave the store as it was
        .withRefreshGraceWindow(Duration.ofDays(1))
        .withAccountDefaults(new ServerConfig.AccountDefaults(Duration.ofHours(1), Duration.ofDays(30),
            Duration.ofDays(90), 100_000_000))
        .withLimits(ServerConfig.defaults().limits()
            .withFailedLogins(new Budgets(1_000_000, 1_000_000, 1_000_000, Duration.ofMinutes(1)))
            .withRegistrationsPerIp(1_000_000));
    server = MeshyAuthServer.start(config, JdbcStores.sqlite(file));
    server.provisioning().createAccount(TestServer.ACCOUNT, TestServer.CLIENT_ID, true);
    server.provisioning().createUser(TestServer.ACCOUNT, TestServer.USERNAME, Password.of(TestServer.PASSWORD));
    var login = new SpecCheckedHttp(server.baseUrl()).postForm(TestServer.TOKEN_PATH, TestServer.passwordForm());
    liveRefreshToken = login.text("refresh_token");
    var roles = server.stores().roles().orElseThrow();
    var admins = roles.createRole(TestServer.ACCOUNT, "admins", java.util.Optional.empty(), java.time.Instant.now());
    roleId = admins.id();
    roles.addPermission(TestServer.ACCOUNT, roleId, "users", Operations.ALL);
    permissionId = roles.addPermission(TestServer.ACCOUNT, roleId, "roles", Operations.ALL).permission()
        .orElseThrow().id();
    aliceId = server.stores().users().findUser(TestServer.ACCOUNT, TestServer.USERNAME).orElseThrow().id();
    roles.addMembers(TestServer.ACCOUNT, roleId, List.of(aliceId), java.time.Instant.now());
    adminToken = new SpecCheckedHttp(server.baseUrl()).postForm(TestServer.TOKEN_PATH, TestServer.passwordForm())
        .text("access_token");
    try {
      storeReader = DriverManager.getConnection("jdbc:sqlite:" + file);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void stop() throws Exception {
    storeReader.close();
    server.close();
  }

  @Test
  void everyMutatedRequestGetsADeclaredAnswerAndARefusedOneChangesNothing() throws Exception {
    var seed = Long.getLong("fuzz.seed", System.nanoTime());
    var count = Integer.getInteger("fuzz.requests", 10_000);
    var random = new Random(seed);
    var endpoints = endpoints();
    all = endpoints;
    assertThat(endpoints).hasSizeGreaterThanOrEqualTo(5);
    var statuses = new LinkedHashMap<String, Integer>();
    for (int i = 0; i < count; i++) {
      var endpoint = endpoints.get(random.nextInt(endpoints.size()));
      var sent = mutate(endpoint, random);
      var before = snapshot();
      var where = String.format("request %d of seed %d (-Dfuzz.seed=%d): %s %s [%s]", i, seed, seed, sent.method(),
          sent.path(), sent.description());
      HttpResponse<String> response;
      try {
        response = send(sent);
      } catch (java.io.IOException e) {
        // a body over server.max-request-bytes may be cut off unread: the connection closes, and the 413 or 400
        // sent before that can be lost to the reset (RFC 9110 section 15.5.14 allows closing). So may a body whose
        // request Jetty refused for its path before any route read it (RFC 9112 section 9.6: a server that closes
        // after an error need not read the body). Either changes nothing.
        if (sent.body().length <= MAX_REQUEST_BYTES && !refusedForItsPathWithABody(sent)) {
          throw new AssertionError(where + " got no answer", e);
        }
        assertThat(snapshot()).as("%s was cut off but changed the store", where).isEqualTo(before);
        statuses.merge(endpoint.operation().getOperationId() + " closed unread", 1, Integer::sum);
        continue;
      }
      assertThat(response.statusCode()).as("%s answered %s", where, response.body()).isLessThan(500);
      if (response.statusCode() == 404 && sent.description().contains(RequestLineMutation.WRONG_PATH.name())) {
        // a path the document does not list: its answer is the document's NotFoundError, as info says
        assertThat(response.headers().firstValue("Content-Type")).as(where).hasValueSatisfying(
            type -> assertThat(type).startsWith("application/json"));
        assertThat(JSON.readTree(response.body()).path("error").asText()).as(where).isEqualTo("not_found");
      } else {
        var answer = SimpleResponse.Builder.status(response.statusCode()).withBody(response.body());
        response.headers().map().forEach(answer::withHeader);
        var validated = VALIDATOR.validateResponse(endpoint.template().replace("{accountName}", "a")
                .replace("{username}", "u").replace("{id}", "i").replace("{roleId}", "r")
                .replace("{permissionId}", "p"),
            Request.Method.valueOf(declared(endpoint, sent.method())), answer.build());
        assertThat(validated.getMessages()).as("%s answered %d %s", where, response.statusCode(), response.body())
            .isEmpty();
      }
      if (response.statusCode() >= 300) {
        assertThat(snapshot()).as("%s was refused but changed the store", where).isEqualTo(before);
      }
      statuses.merge(endpoint.operation().getOperationId() + " " + response.statusCode(), 1, Integer::sum);
      if (response.statusCode() == 200 && response.body().contains("\"refresh_token\"")) {
        liveRefreshToken = JSON.readTree(response.body()).path("refresh_token").asText(liveRefreshToken);
      }
    }
    System.out.printf("spec fuzz: %d requests, seed %d, answers %s%n", count, seed, statuses);
  }

  private List<Endpoint> endpoints() {
    var options = new ParseOptions();
    options.setResolve(true);
    options.setResolveFully(true);
    var document = new OpenAPIV3Parser().read(SPEC, null, options);
    var endpoints = new ArrayList<Endpoint>();
    document.getPaths().forEach((template, item) -> item.readOperationsMap().forEach((method, operation) -> {
      String mediaType = null;
      Map<String, Schema<?>> properties = Map.of();
      if (operation.getRequestBody() != null) {
        var content = operation.getRequestBody().getContent().entrySet().iterator().next();
        mediaType = content.getKey();
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<String, Schema<?>> declared = (Map) content.getValue().getSchema().getProperties();
        properties = declared == null ? Map.of() : declared;
      }
      endpoints.add(new Endpoint(template, method, operation, mediaType, properties));
    }));
    return endpoints;
  }

  /** A request the document allows, with good values where we know them and the document's examples otherwise. */
  private Map<String, List<String>> valid(Endpoint endpoint, Random random) {
    var values = new LinkedHashMap<String, List<String>>();
    endpoint.properties().forEach((name, schema) -> {
      var value = switch (name) {
        case "client_id" -> TestServer.CLIENT_ID;
        case "grant_type" -> random.nextBoolean() ? "password" : "refresh_token";
        case "username" -> random.nextInt(4) == 0 ? "device-" + random.nextInt(1_000_000) : TestServer.USERNAME;
        case "password" -> random.nextInt(4) == 0 ? TestServer.PASSWORD : "guess-" + random.nextInt(1000);
        case "scope" -> "meshy.api offline_access";
        case "refresh_token", "token" -> random.nextBoolean() ? liveRefreshToken : "unknown-" + random.nextInt();
        default -> schema.getEnum() != null && !schema.getEnum().isEmpty()
            ? String.valueOf(schema.getEnum().get(random.nextInt(schema.getEnum().size())))
            : schema.getExample() != null ? String.valueOf(schema.getExample()) : "x";
      };
      values.put(name, new ArrayList<>(List.of(value)));
    });
    return values;
  }

  private Sent mutate(Endpoint endpoint, Random random) {
    var values = valid(endpoint, random);
    var mutation = Mutation.values()[random.nextInt(Mutation.values().length)];
    var account = TestServer.ACCOUNT;
    var contentType = endpoint.mediaType();
    var chunked = false;
    var names = new ArrayList<>(values.keySet());
    var name = names.isEmpty() ? "scope" : names.get(random.nextInt(names.size()));
    String rawSuffix = null;
    switch (mutation) {
      case NONE -> { }
      case MISSING -> values.remove(name);
      case EMPTY -> values.put(name, new ArrayList<>(List.of("")));
      case REPEATED -> {
        var again = random.nextBoolean() && values.containsKey(name) ? values.get(name).get(0) : "other";
        values.computeIfAbsent(name, n -> new ArrayList<>()).add(again);
      }
      case OVERSIZED_VALUE -> values.put(name, List.of("a".repeat(1 + random.nextInt(40_000))));
      case WRONG_TYPE -> values.put(name, List.of(List.of("123", "true", "[]", "{}", "null", "-1e309").get(
          random.nextInt(6))));
      case INVALID_UTF8 -> rawSuffix = "&" + name + "=%C3%28%FF%FE" + (random.nextBoolean() ? "\u0000" : "");
      case BAD_PERCENT -> rawSuffix = "&" + name + "=" + List.of("%", "%z", "%zz", "%4", "%%41", "%u0041").get(
          random.nextInt(6));
      case CONTROL_CHARACTERS -> values.put(name, List.of("a\u0000b\r\n\u001b[31m\u007f"));
      case HUGE_SCOPE -> values.put("scope", List.of(String.join(" ",
          java.util.Collections.nCopies(1 + random.nextInt(3000), "meshy.api"))));
      case INJECTION -> values.put(name, List.of(INJECTIONS.get(random.nextInt(INJECTIONS.size()))));
      case UNKNOWN_PARAMETER -> values.put("unknown_" + random.nextInt(10), List.of("x"));
      case WRONG_CONTENT_TYPE -> contentType = List.of("text/plain", "application/xml", "multipart/form-data",
          "application/json", FORM, FORM + "; charset=ISO-8859-1", "application/x-www-form-urlencoded;;",
          "*/*").get(random.nextInt(8));
      case MISSING_CONTENT_TYPE -> contentType = null;
      case CHUNKED -> chunked = true;
      case OVERSIZED_BODY -> values.put("padding", List.of("p".repeat(16_385 + random.nextInt(200_000))));
      case UNKNOWN_ACCOUNT -> account = "no-such-account";
      case STRANGE_ACCOUNT -> account = List.of("a".repeat(300), "%20", "%C3%A9", "ACME", "acme.", "-", "_")
          .get(random.nextInt(7));
      default -> throw new IllegalStateException();
    }
    var body = encode(endpoint.mediaType(), values, rawSuffix);
    // other path parameters (users/{username}/exists): a known user, an unknown one, or a strange one
    var path = endpoint.template().replace("{accountName}", account).replace("{username}",
        List.of(TestServer.USERNAME, "nobody", "%20", "ALICE", "a".repeat(129), "%C3%A9", "-")
            .get(random.nextInt(7)))
        .replace("{id}", pathValue(aliceId, random))
        .replace("{roleId}", pathValue(roleId, random))
        .replace("{permissionId}", pathValue(permissionId, random));
    path += query(endpoint, random);
    // the bearer operations: mostly with the administrator's token, so that the fuzz reaches their logic
    String authorization = null;
    if (endpoint.operation().getSecurity() != null && !endpoint.operation().getSecurity().isEmpty()
        && random.nextInt(5) != 0) {
      authorization = random.nextInt(10) == 0 ? "Bearer " + adminToken.substring(0, adminToken.length() - 3) + "abc"
          : "Bearer " + adminToken;
    }
    var method = endpoint.method().name();
    var description = mutation + " " + name;
    var lineMutations = new ArrayList<>(REQUEST_LINE_MUTATIONS);
    if (!lineMutations.isEmpty() && random.nextInt(10) == 0) {
      var lineMutation = lineMutations.get(random.nextInt(lineMutations.size()));
      description += " " + lineMutation;
      switch (lineMutation) {
        case WRONG_METHOD -> method = List.of("GET", "PUT", "DELETE", "PATCH", "POST").stream()
            .filter(m -> !m.equals(endpoint.method().name())).toList().get(random.nextInt(4));
        case WRONG_PATH -> path = path + List.of("/x", "/..", "s", "/").get(random.nextInt(4));
        case BAD_PERCENT_IN_PATH -> path = path.replaceFirst("/connect", "/conn%C0%AFect"); // invalid UTF-8: HttpClient sends no bad escapes
        case ENCODED_SLASH_IN_PATH -> path = path.replaceFirst("/connect/", "/connect%2f");
        case ENCODED_NUL_IN_PATH -> path = path.replaceFirst("/acme/", "/acme%00/");
        default -> throw new IllegalStateException();
      }
    }
    return new Sent(method, path, contentType, body, chunked, description, authorization);
  }

  /**
   * The method to hold an answer to: the one sent where the path declares it (a wrong method can land on another
   * operation of the path, e.g. GET users/{id} for a DELETE), the endpoint's own otherwise (its 405 is declared there).
   */
  private List<Endpoint> all;

  private String declared(Endpoint endpoint, String sentMethod) {
    return all.stream().anyMatch(other -> other.template().equals(endpoint.template())
        && other.method().name().equals(sentMethod)) ? sentMethod : endpoint.method().name();
  }

  /** A path parameter: the one that exists, one that does not, or a strange one. */
  private static String pathValue(String existing, Random random) {
    return List.of(existing, existing, "nobody", "%20", "a".repeat(200), "%C3%A9", "-", "0")
        .get(random.nextInt(8));
  }

  /** The operation's query parameters, each left out or given a good, odd or hostile value. */
  private static String query(Endpoint endpoint, Random random) {
    if (endpoint.operation().getParameters() == null) {
      return "";
    }
    var pairs = new ArrayList<String>();
    for (var parameter : endpoint.operation().getParameters()) {
      if (!"query".equals(parameter.getIn()) || random.nextInt(3) == 0) {
        continue;
      }
      var value = List.of("", "1", "25", "0", "-1", "201", "2147483648", "True", "false", "undefined", "mar", "{",
          "{\"username\":1}", "{ Username:1,LastName:-1 }", "{\"password\":1}", "{\"username\":2}", "[1]",
          "{\"username\":1,\"username\":-1}", "\u0000", "a".repeat(2000), "%", "😀")
          .get(random.nextInt(22));
      pairs.add(parameter.getName() + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
    return pairs.isEmpty() ? "" : "?" + String.join("&", pairs);
  }

  private static byte[] encode(String mediaType, Map<String, List<String>> values, String rawSuffix) {
    var out = new ByteArrayOutputStream();
    if ("application/json".equals(mediaType)) {
      var object = new LinkedHashMap<String, Object>();
      values.forEach((name, list) -> object.put(name, list.size() == 1 ? jsonValue(list.get(0)) : list));
      try {
        out.writeBytes(JSON.writeValueAsBytes(object));
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
      if (rawSuffix != null) {
        // invalid UTF-8 or a bad escape inside the JSON text
        out.reset();
        out.writeBytes("{\"username\":\"".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF});
        out.writeBytes("\\u12\"}".getBytes(StandardCharsets.UTF_8));
      }
      return out.toByteArray();
    }
    var form = new ArrayList<String>();
    values.forEach((name, list) -> list.forEach(value -> form.add(URLEncoder.encode(name, StandardCharsets.UTF_8)
        + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8))));
    out.writeBytes(String.join("&", form).getBytes(StandardCharsets.UTF_8));
    if (rawSuffix != null) {
      out.writeBytes(rawSuffix.getBytes(StandardCharsets.ISO_8859_1));
      out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xC0});
    }
    return out.toByteArray();
  }

  private static Object jsonValue(String value) {
    return switch (value) {
      case "123" -> 123;
      case "true" -> true;
      case "[]" -> List.of();
      case "{}" -> Map.of();
      case "null" -> null;
      case "-1e309" -> new java.math.BigDecimal(value);
      default -> value;
    };
  }

  private HttpResponse<String> send(Sent sent) throws Exception {
    var request = HttpRequest.newBuilder(URI.create(server.baseUrl() + sent.path()));
    if (sent.contentType() != null) {
      request.header("Content-Type", sent.contentType());
    }
    HttpRequest.BodyPublisher body;
    if (sent.method().equals("GET")) {
      body = HttpRequest.BodyPublishers.noBody();
    } else if (sent.chunked()) {
      // no length known in advance: sent with Transfer-Encoding: chunked, in pieces
      var whole = HttpRequest.BodyPublishers.ofByteArray(sent.body());
      body = new HttpRequest.BodyPublisher() {
        @Override
        public long contentLength() {
          return -1;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
          whole.subscribe(subscriber);
        }
      };
    } else {
      body = HttpRequest.BodyPublishers.ofByteArray(sent.body());
    }
    if (sent.authorization() != null) {
      request.header("Authorization", sent.authorization());
    }
    request.method(sent.method(), body);
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      // a kept-alive connection the server closed after its last answer, picked from the pool before the client
      // saw the close: the request never reached the server, and HTTP clients send it again on a new connection
      // (RFC 9112 section 9.3.1); the JDK's client does not for a POST
      if (String.valueOf(e.getMessage()).contains("received no bytes")) {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      }
      throw e;
    }
  }

  /**
   * What a refused request must not change: users and their flags, refresh tokens and their rotation and
   * revocation, keys, roles, their permissions and memberships, security questions.
   */
  private List<Long> snapshot() throws Exception {
    try (var statement = storeReader.createStatement();
        var rows = statement.executeQuery("""
            SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM token_families),
                   (SELECT count(*) FROM token_families WHERE revoked_at IS NOT NULL),
                   (SELECT count(*) FROM refresh_tokens),
                   (SELECT count(*) FROM refresh_tokens WHERE rotated_at IS NOT NULL),
                   (SELECT count(*) FROM signing_keys), (SELECT count(*) FROM roles),
                   (SELECT count(*) FROM role_permissions), (SELECT count(*) FROM user_roles),
                   (SELECT count(*) FROM user_security_questions),
                   (SELECT count(*) FROM users WHERE active), (SELECT count(*) FROM users WHERE verified)
            """)) {
      rows.next();
      var counts = new ArrayList<Long>();
      for (int column = 1; column <= 12; column++) {
        counts.add(rows.getLong(column));
      }
      return counts;
    }
  }
}
