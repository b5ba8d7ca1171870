package io.meshyauth.server;

import static io.meshyauth.server.TestServer.ACCOUNT;
import static io.meshyauth.server.TestServer.CLIENT_ID;
import static io.meshyauth.server.TestServer.TOKEN_PATH;
import static io.meshyauth.server.TestServer.passwordForm;
import static io.meshyauth.server.TestServer.with;
import static io.meshyauth.server.TestServer.without;
import static io.meshyauth.server.testing.OAuthErrors.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshyauth.server.generated.model.TokenForm.GrantTypeEnum;
import io.meshyauth.server.limit.LoginThrottle.Budgets;
import io.meshyauth.server.store.Account;
import io.meshyauth.server.store.Client;
import io.meshyauth.server.store.PostgresBackend;
import io.meshyauth.server.store.Stores;
import io.meshyauth.server.store.jdbc.JdbcStores;
import io.meshyauth.server.testing.Forms;
import io.meshyauth.server.token.ClientSecrets;
import io.meshyauth.server.values.Scope;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * RFC 6749 sections 2.3 and 4.4 over HTTP: public and confidential clients against every grant of the document, the
 * two ways a confidential client authenticates, its failure budget under concurrency, a secret's rotation, and the
 * client_credentials token itself.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(StoreKind.class)
class ConfidentialClientsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BASIC_CHALLENGE = "Basic realm=\"meshy-auth\"";
  private static final String NOT_ALLOWED = "The client is not allowed this grant type.";
  private static final String AUTHENTICATION_FAILED = "Client authentication failed.";
  private static final String SERVICE = "reports-service";
  private static final String ATTACKER = "203.0.113.66";

  private final StoreKind store;
  private TestServer server;
  private final List<AutoCloseable> closing = new ArrayList<>();

  @TempDir
  Path directory;

  ConfidentialClientsTest(StoreKind store) {
    this.store = store;
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    for (var resource : closing) {
      resource.close();
    }
  }

  private void start() {
    start(config -> config);
  }

  private void start(UnaryOperator<ServerConfig> configure) {
    server = TestServer.start(store, configure);
  }

  /** The clients of the table: how each kind is made and which grants it may use. */
  private enum ClientKind {
    PUBLIC(null),
    CLIENT_CREDENTIALS_ONLY(Set.of("client_credentials")),
    PASSWORD_AND_REFRESH(Set.of("password", "refresh_token")),
    EVERY_GRANT(allGrants());

    /** null for a public client, which may use every grant open to public clients. */
    final Set<String> grants;

    ClientKind(Set<String> grants) {
      this.grants = grants;
    }

    boolean confidential() {
      return grants != null;
    }

    String clientId() {
      return confidential() ? name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') : CLIENT_ID;
    }

    /** RFC 6749 section 4.4: client_credentials is for confidential clients only. */
    boolean allows(String grantType) {
      return confidential() ? grants.contains(grantType) : !grantType.equals("client_credentials");
    }

    List<Method> methods() {
      return confidential() ? List.of(Method.BASIC, Method.POST) : List.of(Method.NONE);
    }
  }

  /** How a client presents itself: its id alone, or its id and secret in the header or in the form. */
  private enum Method {
    NONE, BASIC, POST
  }

  private static Set<String> allGrants() {
    return Arrays.stream(GrantTypeEnum.values()).map(GrantTypeEnum::getValue).collect(Collectors.toSet());
  }

  /** A client of the table with its secret (empty for the public client). */
  private record TableClient(ClientKind kind, Optional<String> secret) {
  }

  /** One request of the table: its form and headers. */
  private record Request(Map<String, String> form, Map<String, String> headers) {
  }

  @TestFactory
  Stream<DynamicTest> everyClientKindAgainstEveryGrantOfTheDocument() {
    start();
    var clients = new LinkedHashMap<ClientKind, TableClient>();
    for (var kind : ClientKind.values()) {
      clients.put(kind, kind.confidential()
          ? new TableClient(kind, Optional.of(createConfidential(ACCOUNT, kind.clientId(), kind.grants,
              Optional.empty())))
          : new TableClient(kind, Optional.empty()));
    }
    return clients.values().stream().flatMap(client -> Arrays.stream(GrantTypeEnum.values())
        .map(GrantTypeEnum::getValue)
        .flatMap(grant -> client.kind().methods().stream().map(method -> DynamicTest.dynamicTest(
            client.kind() + " " + grant + " (" + method + ")", () -> assertRow(client, grant, method)))));
  }

  private void assertRow(TableClient client, String grant, Method method) {
    var request = present(client, method, grantForm(client, grant, method));

    var answer = server.http.postForm(TOKEN_PATH, request.form(), request.headers());

    var known = Set.of("password", "refresh_token", "client_credentials").contains(grant);
    if (client.kind().confidential() && !client.kind().grants.contains(grant)) {
      assertError(answer, "unauthorized_client", NOT_ALLOWED);
      return;
    }
    Assumptions.assumeTrue(known, () -> grant + " is new to this table: its own test class shows what it issues");
    if (!client.kind().allows(grant)) {
      assertError(answer, "unauthorized_client", NOT_ALLOWED);
      return;
    }
    assertThat(answer.status()).as(answer.response().body()).isEqualTo(200);
    assertThat(answer.text("access_token")).isNotBlank();
    assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
    var payload = payload(answer.text("access_token"));
    assertThat(payload.get("client_id").asText()).isEqualTo(client.kind().clientId());
    if (grant.equals("client_credentials")) {
      assertThat(answer.text("refresh_token")).isNull();
      assertThat(payload.get("sub").asText()).isEqualTo(client.kind().clientId());
    } else {
      assertThat(answer.text("refresh_token")).as("offline_access was asked").isNotBlank();
      assertThat(payload.get("id").asText()).isEqualTo(TestServer.USERNAME);
    }
  }

  /**
   * The grant's own parameters, for the grants this table knows. A refresh token comes from a login of the same client when it may log in, and from the public client's
   * otherwise (the client is refused the grant before its token is read).
   */
  private Map<String, String> grantForm(TableClient client, String grant, Method method) {
    var form = new LinkedHashMap<String, String>();
    form.put("grant_type", grant);
    switch (grant) {
      case "password" -> {
        form.put("username", TestServer.USERNAME);
        form.put("password", TestServer.PASSWORD);
        form.put("scope", "meshy.api offline_access");
      }
      case "refresh_token" -> form.put("refresh_token", refreshTokenFor(client, method));
      case "client_credentials" -> form.put("scope", "meshy.api");
      default -> {
        // a grant added since: a client not given it is refused before its parameters are read, which the table
        // still checks; what it issues is its own test class's to show
      }
    }
    return form;
  }

  private String refreshTokenFor(TableClient client, Method method) {
    var login = client.kind().allows("password") ? client : new TableClient(ClientKind.PUBLIC, Optional.empty());
    var request = present(login, login.kind().methods().contains(method) ? method : Method.NONE,
        without(passwordForm(), "client_id"));
    var answer = server.http.postForm(TOKEN_PATH, request.form(), request.headers());
    assertThat(answer.status()).as("the login that yields the refresh token").isEqualTo(200);
    return answer.text("refresh_token");
  }

  /** The form and headers with the client's credentials, presented {@code method}'s way. */
  private static Request present(TableClient client, Method method, Map<String, String> grantForm) {
    var form = new LinkedHashMap<>(grantForm);
    var clientId = client.kind().clientId();
    return switch (method) {
      case NONE -> {
        form.put("client_id", clientId);
        yield new Request(form, Map.of());
      }
      case POST -> {
        form.put("client_id", clientId);
        form.put("client_secret", client.secret().orElseThrow());
        yield new Request(form, Map.of());
      }
      case BASIC -> new Request(form, Map.of("Authorization", basic(clientId, client.secret().orElseThrow())));
    };
  }

  @Test
  void aConfidentialClientAuthenticatesInTheHeaderOrInTheForm() {
    start();
    // RFC 6749 section 2.3.1: each part is form-urlencoded before they are joined, so an id may hold a colon
    var clientId = "svc:reports/1";
    var secret = createConfidential(ACCOUNT, clientId, Set.of("client_credentials"), Optional.empty());

    var basic = server.http.postForm(TOKEN_PATH, clientCredentialsForm(), Map.of("Authorization",
        basic(clientId, secret)));
    var post = server.http.postForm(TOKEN_PATH, postCredentials(clientCredentialsForm(), clientId, secret));
    var basicNamingItselfInTheFormToo = server.http.postForm(TOKEN_PATH,
        with(clientCredentialsForm(), "client_id", clientId), Map.of("Authorization", basic(clientId, secret)));

    assertThat(basic.status()).isEqualTo(200);
    assertThat(post.status()).isEqualTo(200);
    assertThat(basicNamingItselfInTheFormToo.status()).isEqualTo(200);
    assertThat(payload(basic.text("access_token")).get("sub").asText()).isEqualTo(clientId);
  }

  @Test
  void credentialsInTheHeaderAndTheFormAtOnceAreInvalidRequest() {
    start();
    var secret = createService();

    var answer = server.http.postForm(TOKEN_PATH, postCredentials(clientCredentialsForm(), SERVICE, secret),
        Map.of("Authorization", basic(SERVICE, secret)));

    assertError(answer, "invalid_request",
        "Client credentials must be sent one way, not in both the header and the form.");
  }

  @Test
  void aWrongSecretIs401InvalidClientWithABasicChallengeWhicheverWayItWasSent() {
    start();
    var secret = createService();

    var inTheHeader = server.http.postForm(TOKEN_PATH, clientCredentialsForm(),
        Map.of("Authorization", basic(SERVICE, secret + "x")));
    var inTheForm = server.http.postForm(TOKEN_PATH, postCredentials(clientCredentialsForm(), SERVICE, "wrong"));

    assertAuthenticationFailed(inTheHeader);
    assertAuthenticationFailed(inTheForm);
  }

  @Test
  void aConfidentialClientWithoutItsSecretIs401() {
    start();
    createService();

    assertAuthenticationFailed(server.http.postForm(TOKEN_PATH, with(clientCredentialsForm(), "client_id", SERVICE)));
    // MeshyDB's empty client_secret is no secret, for a confidential client too (postRaw: the validator reads an
    // empty form value as null, which the document's string does not allow)
    assertAuthenticationFailed(server.http.postRaw(TOKEN_PATH, SpecCheckedHttp.FORM,
        Forms.encode(postCredentials(clientCredentialsForm(), SERVICE, ""))));
  }

  @Test
  void aPublicClientThatSendsASecretIs401ForItHasNone() {
    start();

    assertAuthenticationFailed(server.http.postForm(TOKEN_PATH, with(passwordForm(), "client_secret", "a-secret")));
    assertAuthenticationFailed(server.http.postForm(TOKEN_PATH, without(passwordForm(), "client_id"),
        Map.of("Authorization", basic(CLIENT_ID, "a-secret"))));
  }

  @Test
  void anUnknownClientIs400WithoutCredentialsAnd401WithThem() {
    start();

    assertError(server.http.postForm(TOKEN_PATH, with(passwordForm(), "client_id", "nobody")), "invalid_client",
        "Client id is invalid.");
    assertAuthenticationFailed(server.http.postForm(TOKEN_PATH, clientCredentialsForm(),
        Map.of("Authorization", basic("nobody", "a-secret"))));
  }

  @Test
  void meshyDbsEmptyClientSecretStillMeansAPublicClient() {
    start();

    // postRaw: the validator reads an empty form value as null, which the document's string does not allow
    var answer = server.http.postRaw(TOKEN_PATH, SpecCheckedHttp.FORM,
        Forms.encode(with(passwordForm(), "client_secret", "")));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.text("refresh_token")).isNotBlank();
  }

  @Test
  void aBurstOfWrongSecretsChecksExactlyTheBudgetAndLocksOutOnlyThatAddress() {
    start(config -> config.withTrustedProxies(List.of("127.0.0.1", "::1"))
        .withLimits(config.limits().withFailedClientAuthentications(new Budgets(5, 100, 100,
            Duration.ofMinutes(15)))));
    var secret = createService();

    var burst = Burst.of(40, i -> clientCredentials(basic(SERVICE, "wrong-" + i), ATTACKER));

    assertThat(Burst.count(burst, 401)).as("wrong secrets checked").isEqualTo(5);
    assertThat(Burst.count(burst, 429)).isEqualTo(35);
    assertThat(burst).filteredOn(answer -> answer.status() == 429)
        .allSatisfy(answer -> assertThat(Long.parseLong(answer.header("Retry-After"))).isBetween(1L, 15 * 60L));
    var fromAttacker = clientCredentials(basic(SERVICE, secret), ATTACKER);
    assertThat(fromAttacker.status()).as("the right secret from the spent address").isEqualTo(429);
    assertThat(fromAttacker.text("error_description"))
        .startsWith("Too many failed authentications of this client.");
    assertThat(fromAttacker.header("RateLimit-Policy"))
        .isEqualTo("\"failed-client-authentications-per-client-and-ip\";q=5;w=900");
    assertThat(clientCredentials(basic(SERVICE, secret), "198.51.100.7").status()).isEqualTo(200);
  }

  @Test
  void aBurstOfWrongSecretsFromManyAddressesStopsAtTheClientsBudget() {
    start(config -> config.withTrustedProxies(List.of("127.0.0.1", "::1"))
        .withLimits(config.limits().withFailedClientAuthentications(new Budgets(5, 12, 1000,
            Duration.ofMinutes(15)))));
    var secret = createService();

    var burst = Burst.of(60, i -> clientCredentials(basic(SERVICE, "wrong-" + i), "203.0.113." + (i % 20)));

    assertThat(Burst.count(burst, 401)).isEqualTo(12);
    assertThat(Burst.count(burst, 429)).isEqualTo(48);
    var elsewhere = clientCredentials(basic(SERVICE, secret), "198.51.100.7");
    assertThat(elsewhere.status()).isEqualTo(429);
    assertThat(elsewhere.header("RateLimit-Policy"))
        .isEqualTo("\"failed-client-authentications-per-client\";q=12;w=900");
  }

  @Test
  void rightSecretsTakeNoUnitSoManyAtOnceBeyondTheBudgetAreAllAnswered() {
    start(config -> config.withLimits(config.limits().withFailedClientAuthentications(new Budgets(3, 3, 3,
        Duration.ofMinutes(15)))));
    var secret = createService();

    var rights = Burst.of(30, i -> clientCredentials(basic(SERVICE, secret), null));

    assertThat(Burst.count(rights, 200)).as("a service's requests in flight at once").isEqualTo(30);
    var burst = Burst.of(20, i -> clientCredentials(basic(SERVICE, "wrong-" + i), null));

    assertThat(Burst.count(burst, 401)).isEqualTo(3);
    assertThat(Burst.count(burst, 429)).isEqualTo(17);
  }

  @Test
  void aRotatedSecretWorksBesideTheOldOneUntilTheOldOneIsRemoved() {
    var database = database();
    server = TestServer.start(database.get(), UnaryOperator.identity());
    // the operator's CLI: another process on the same store, whose changes this node learns of only from the store
    var operator = database.get();
    closing.add(operator);
    var old = ClientSecrets.newSecret(Instant.now());
    operator.accounts().createClient(new Client(ACCOUNT, SERVICE, true, Set.of("client_credentials"),
        Optional.empty(), List.of(old.stored())));
    var rotated = ClientSecrets.newSecret(Instant.now().plusSeconds(1));

    operator.accounts().addClientSecret(ACCOUNT, SERVICE, rotated.stored());

    assertThat(clientCredentials(basic(SERVICE, old.secret()), null).status()).isEqualTo(200);
    assertThat(awaitStatus(() -> clientCredentials(basic(SERVICE, rotated.secret()), null), 200).status())
        .isEqualTo(200);
    assertThat(clientCredentials(basic(SERVICE, old.secret()), null).status()).isEqualTo(200);

    assertThat(operator.accounts().removeOldestClientSecret(ACCOUNT, SERVICE).id()).isEqualTo(old.stored().id());

    // "stops working on every running node within 10 seconds, whatever the nodes cache"
    assertAuthenticationFailed(awaitStatus(() -> clientCredentials(basic(SERVICE, old.secret()), null), 401));
    assertAuthenticationFailed(server.http.postForm(TOKEN_PATH, postCredentials(clientCredentialsForm(), SERVICE,
        old.secret())));
    assertThat(clientCredentials(basic(SERVICE, rotated.secret()), null).status()).isEqualTo(200);
  }

  @Test
  void aDeletedClientStopsWorkingOnARunningNode() {
    var database = database();
    server = TestServer.start(database.get(), UnaryOperator.identity());
    var operator = database.get();
    closing.add(operator);
    var secret = ClientSecrets.newSecret(Instant.now());
    operator.accounts().createClient(new Client(ACCOUNT, SERVICE, true, Set.of("client_credentials"),
        Optional.empty(), List.of(secret.stored())));
    assertThat(awaitStatus(() -> clientCredentials(basic(SERVICE, secret.secret()), null), 200).status())
        .isEqualTo(200);

    operator.accounts().deleteClient(ACCOUNT, SERVICE);

    assertAuthenticationFailed(awaitStatus(() -> clientCredentials(basic(SERVICE, secret.secret()), null), 401));
  }

  @Test
  void aClientCredentialsTokenIsTheClientsOwnWithNoUserInIt() {
    start();
    var secret = createService();

    var answer = clientCredentials(basic(SERVICE, secret), null);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.text("token_type")).isEqualTo("Bearer");
    assertThat(answer.text("refresh_token")).as("RFC 6749 section 4.4.3").isNull();
    assertThat(answer.text("id_token")).isNull();
    assertThat(words(answer.text("scope"))).containsExactly("meshy.api");
    var payload = payload(answer.text("access_token"));
    assertThat(payload.get("sub").asText()).isEqualTo(SERVICE);
    assertThat(payload.get("client_id").asText()).isEqualTo(SERVICE);
    assertThat(words(payload.get("scope").asText())).containsExactly("meshy.api");
    assertThat(payload.has("id")).as("MeshyDB's username claim").isFalse();
    assertThat(payload.has("role")).isFalse();
    assertThat(payload.has("permission")).isFalse();
    assertThat(payload.has("sid")).as("no session").isFalse();
    assertThat(payload.has("preferred_username")).isFalse();
  }

  @Test
  void aClientCredentialsTokenIsNoUsersTokenAtTheUsersEndpoints() {
    start();
    var token = clientCredentials(basic(SERVICE, createService()), null).text("access_token");

    var userinfo = server.http.get("/" + ACCOUNT + "/connect/userinfo", token);
    var me = server.http.get("/" + ACCOUNT + "/users/me", token);

    assertThat(userinfo.status()).isEqualTo(401);
    assertThat(userinfo.header("WWW-Authenticate")).startsWith("Bearer ");
    assertThat(me.status()).isEqualTo(401);
    assertThat(me.header("WWW-Authenticate")).startsWith("Bearer ");
  }

  @Test
  void clientCredentialsRefusesTheScopesOfAUser() {
    start();
    var secret = createService();

    for (var scope : List.of("offline_access", "openid", "meshy.api offline_access", "meshy.api openid")) {
      assertError(server.http.postForm(TOKEN_PATH, with(clientCredentialsForm(), "scope", scope),
          Map.of("Authorization", basic(SERVICE, secret))), "invalid_scope", "Invalid scope.");
    }
  }

  @Test
  void clientCredentialsScopeIsLimitedToTheClientsScopeWithinTheAccounts() {
    start();
    server.server.provisioning().createAccount(new Account("svc", Set.of("svc-key"),
        Scope.of(List.of("meshy.api", "reports.read", "reports.write", "offline_access", "openid")),
        Duration.ofHours(1), Duration.ofDays(1), 6_000));
    // "admin" is not the account's to give: the client's own scope is cut to the account's
    var secret = createConfidential("svc", "reporter", Set.of("client_credentials"),
        Optional.of(Scope.of(List.of("meshy.api", "reports.read", "admin"))));
    var path = "/svc/connect/token";
    var credentials = Map.of("Authorization", basic("reporter", secret));

    var unasked = server.http.postForm(path, without(clientCredentialsForm(), "scope"), credentials);
    var narrowed = server.http.postForm(path, with(clientCredentialsForm(), "scope", "reports.read"), credentials);

    assertThat(unasked.status()).isEqualTo(200);
    assertThat(words(unasked.text("scope"))).containsExactlyInAnyOrder("meshy.api", "reports.read");
    assertThat(narrowed.status()).isEqualTo(200);
    assertThat(words(narrowed.text("scope"))).containsExactly("reports.read");
    assertThat(words(payload(narrowed.text("access_token")).get("scope").asText())).containsExactly("reports.read");
    for (var beyond : List.of("reports.write", "admin", "reports.read reports.write")) {
      assertError(server.http.postForm(path, with(clientCredentialsForm(), "scope", beyond), credentials),
          "invalid_scope", "Invalid scope.");
    }
  }

  @Test
  void discoveryNamesTheGrantTheIntrospectionEndpointAndTheAuthenticationMethods() {
    start();

    var metadata = server.http.get("/" + ACCOUNT + "/.well-known/openid-configuration").json();

    assertThat(strings(metadata.get("grant_types_supported"))).contains("client_credentials")
        .containsExactlyInAnyOrderElementsOf(allGrants());
    assertThat(metadata.get("introspection_endpoint").asText())
        .isEqualTo(metadata.get("issuer").asText() + "/connect/introspect");
    assertThat(strings(metadata.get("token_endpoint_auth_methods_supported")))
        .containsExactly("none", "client_secret_basic", "client_secret_post");
    assertThat(strings(metadata.get("introspection_endpoint_auth_methods_supported")))
        .containsExactly("client_secret_basic", "client_secret_post");
  }

  private String createService() {
    return createConfidential(ACCOUNT, SERVICE, Set.of("client_credentials"), Optional.of(Scope.parse("meshy.api")));
  }

  /** Creates the confidential client and answers its secret, shown once as the CLI shows it. */
  private String createConfidential(String account, String clientId, Set<String> grants, Optional<Scope> scope) {
    var secret = ClientSecrets.newSecret(Instant.now());
    server.server.stores().accounts().createClient(new Client(account, clientId, true, grants, scope,
        List.of(secret.stored())));
    return secret.secret();
  }

  /** A client_credentials request with the Authorization header; through a trusted proxy from {@code from}. */
  private SpecCheckedHttp.Answer clientCredentials(String authorization, String from) {
    var headers = new LinkedHashMap<String, String>();
    headers.put("Authorization", authorization);
    if (from != null) {
      headers.put("X-Forwarded-For", from);
    }
    return server.http.postForm(TOKEN_PATH, clientCredentialsForm(), headers);
  }

  private static Map<String, String> clientCredentialsForm() {
    var form = new LinkedHashMap<String, String>();
    form.put("grant_type", "client_credentials");
    form.put("scope", "meshy.api");
    return form;
  }

  private static Map<String, String> postCredentials(Map<String, String> form, String clientId, String secret) {
    return with(with(form, "client_id", clientId), "client_secret", secret);
  }

  /** RFC 6749 section 2.3.1: {@code client_secret_basic}, each part form-urlencoded before they are joined. */
  static String basic(String clientId, String secret) {
    var joined = URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
        + URLEncoder.encode(secret, StandardCharsets.UTF_8);
    return "Basic " + Base64.getEncoder().encodeToString(joined.getBytes(StandardCharsets.UTF_8));
  }

  static void assertAuthenticationFailed(SpecCheckedHttp.Answer answer) {
    assertThat(answer.status()).as(answer.response().body()).isEqualTo(401);
    assertThat(answer.text("error")).isEqualTo("invalid_client");
    assertThat(answer.text("error_description")).isEqualTo(AUTHENTICATION_FAILED);
    assertThat(answer.header("WWW-Authenticate")).isEqualTo(BASIC_CHALLENGE);
    assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
  }

  /**
   * The answer once it has {@code status}, asked again until a deadline well past the second a node may remember a
   * client: a change made elsewhere must reach this node within 10 seconds.
   */
  static SpecCheckedHttp.Answer awaitStatus(Supplier<SpecCheckedHttp.Answer> request, int status) {
    var deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      var answer = request.get();
      if (answer.status() == status || System.nanoTime() > deadline) {
        return answer;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  /** A database that a second process can open too: the server's store and the operator's. */
  private Supplier<Stores> database() {
    return switch (store) {
      case SQLITE -> {
        var file = directory.resolve("shared.db");
        yield () -> JdbcStores.sqlite(file);
      }
      case POSTGRESQL -> PostgresBackend.shared().newDatabase()::open;
    };
  }

  static JsonNode payload(String jwt) {
    try {
      return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    } catch (IOException e) {
      throw new AssertionError("not a JWT: " + jwt, e);
    }
  }

  private static List<String> words(String scope) {
    return Arrays.asList(scope.split(" "));
  }

  private static List<String> strings(JsonNode array) {
    var values = new ArrayList<String>();
    array.forEach(node -> values.add(node.asText()));
    return values;
  }
}
