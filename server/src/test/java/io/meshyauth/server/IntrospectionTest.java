package io.meshyauth.server;

import static io.meshyauth.server.ConfidentialClientsTest.assertAuthenticationFailed;
import static io.meshyauth.server.ConfidentialClientsTest.basic;
import static io.meshyauth.server.ConfidentialClientsTest.payload;
import static io.meshyauth.server.TestServer.ACCOUNT;
import static io.meshyauth.server.TestServer.CLIENT_ID;
import static io.meshyauth.server.TestServer.PASSWORD;
import static io.meshyauth.server.TestServer.REVOCATION_PATH;
import static io.meshyauth.server.TestServer.TOKEN_PATH;
import static io.meshyauth.server.TestServer.passwordForm;
import static io.meshyauth.server.TestServer.refreshForm;
import static io.meshyauth.server.TestServer.with;
import static io.meshyauth.server.testing.OAuthErrors.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshyauth.server.store.Account;
import io.meshyauth.server.store.Client;
import io.meshyauth.server.testing.Forms;
import io.meshyauth.server.testing.MutableClock;
import io.meshyauth.server.token.ClientSecrets;
import io.meshyauth.server.values.Password;
import io.meshyauth.server.values.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * RFC 7662 over HTTP: every kind of token in every state, asked with every hint, answers active with section 2.2's
 * members or {@code {"active": false}} and nothing more; and who may ask.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(StoreKind.class)
class IntrospectionTest {
  private static final String INTROSPECT = "/" + ACCOUNT + "/connect/introspect";
  private static final String RESOURCE_SERVER = "resource-server";
  /** Tokens of this account live a minute (access) and two (refresh): the table's expired ones are its. */
  private static final String BRIEF = "brief";
  private static final String OTHER = "other";
  private static final Duration PAST_EVERY_BRIEF_TOKEN = Duration.ofMinutes(5);
  /** No hint, the two the RFC defines, and one it does not, which the server must ignore (section 2.1). */
  private static final List<Optional<String>> HINTS = List.of(Optional.empty(), Optional.of("access_token"),
      Optional.of("refresh_token"), Optional.of("id_token"));

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T12:00:00Z"));
  private final TestServer server;
  /** The introspecting client of each account and its secret. */
  private final Map<String, String> resourceServerSecrets = new LinkedHashMap<>();

  IntrospectionTest(StoreKind store) {
    server = TestServer.start(store, clock);
    resourceServerSecrets.put(ACCOUNT, createConfidential(ACCOUNT, RESOURCE_SERVER));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** What the answer must say: inactive, or active with these members. */
  private record Expected(boolean active, String tokenType, String clientId, Optional<String> username,
      String subject, Set<String> scope) {
    static Expected inactive() {
      return new Expected(false, null, null, Optional.empty(), null, Set.of());
    }

    static Expected accessToken(String clientId, Optional<String> username, String subject, String scope) {
      return new Expected(true, "Bearer", clientId, username, subject, Set.of(scope.split(" ")));
    }

    static Expected refreshToken(String clientId, String username, String subject, String scope) {
      return new Expected(true, "refresh_token", clientId, Optional.of(username), subject, Set.of(scope.split(" ")));
    }
  }

  /** One token in one state, asked about at {@code account}'s endpoint. */
  private record Row(String name, String account, String token, Expected expected) {
  }

  /**
   * Each row's token comes from logins and clients of its own, so that what is done to one (a logout, a user
   * deactivated, a client deleted) touches no other; then the clock moves past the brief account's lifetimes, and
   * past no other token's.
   */
  @TestFactory
  Stream<DynamicTest> everyKindOfTokenInEveryStateWithEveryHint() {
    var provisioning = server.server.provisioning();
    provisioning.createAccount(new Account(BRIEF, Set.of("brief-key"), Provisioning.DEFAULT_SCOPES,
        Duration.ofMinutes(1), Duration.ofMinutes(2), 6_000));
    provisioning.createAccount(OTHER, "other-key");
    resourceServerSecrets.put(BRIEF, createConfidential(BRIEF, RESOURCE_SERVER));
    resourceServerSecrets.put(OTHER, createConfidential(OTHER, RESOURCE_SERVER));
    var rows = new ArrayList<Row>();

    // a user's access tokens
    var alice = userId(ACCOUNT, TestServer.USERNAME);
    var login = login(ACCOUNT, CLIENT_ID, TestServer.USERNAME, "meshy.api offline_access");
    rows.add(new Row("user access token", ACCOUNT, login.text("access_token"),
        Expected.accessToken(CLIENT_ID, Optional.of(TestServer.USERNAME), alice, "meshy.api offline_access")));
    rows.add(new Row("user access token without a session (no offline_access)", ACCOUNT,
        login(ACCOUNT, CLIENT_ID, TestServer.USERNAME, "meshy.api").text("access_token"),
        Expected.accessToken(CLIENT_ID, Optional.of(TestServer.USERNAME), alice, "meshy.api")));
    var rotatedSession = login(ACCOUNT, CLIENT_ID, TestServer.USERNAME, "meshy.api offline_access");
    assertThat(server.http.postForm(TOKEN_PATH, refreshForm(rotatedSession.text("refresh_token"))).status())
        .isEqualTo(200);
    rows.add(new Row("user access token whose refresh token was rotated (its session goes on)", ACCOUNT,
        rotatedSession.text("access_token"),
        Expected.accessToken(CLIENT_ID, Optional.of(TestServer.USERNAME), alice, "meshy.api offline_access")));

    var loggedOut = login(ACCOUNT, CLIENT_ID, newUser(ACCOUNT, "bob"), "meshy.api offline_access");
    revoke(loggedOut.text("refresh_token"));
    rows.add(new Row("user access token after its session was logged out", ACCOUNT,
        loggedOut.text("access_token"), Expected.inactive()));

    var deactivated = login(ACCOUNT, CLIENT_ID, newUser(ACCOUNT, "carol"), "meshy.api offline_access");
    provisioning.setActive(ACCOUNT, "carol", false);
    rows.add(new Row("user access token after its user was deactivated", ACCOUNT,
        deactivated.text("access_token"), Expected.inactive()));
    rows.add(new Row("refresh token after its user was deactivated", ACCOUNT, deactivated.text("refresh_token"),
        Expected.inactive()));

    var deleted = login(ACCOUNT, CLIENT_ID, newUser(ACCOUNT, "dave"), "meshy.api offline_access");
    provisioning.deleteUser(ACCOUNT, "dave");
    rows.add(new Row("user access token after its user was deleted", ACCOUNT, deleted.text("access_token"),
        Expected.inactive()));
    rows.add(new Row("refresh token after its user was deleted", ACCOUNT, deleted.text("refresh_token"),
        Expected.inactive()));

    server.server.stores().accounts().addClient(ACCOUNT, "acme-kiosk");
    var ofDeletedClient = login(ACCOUNT, "acme-kiosk", TestServer.USERNAME, "meshy.api offline_access");
    server.server.stores().accounts().deleteClient(ACCOUNT, "acme-kiosk");
    rows.add(new Row("user access token after its client was deleted", ACCOUNT,
        ofDeletedClient.text("access_token"), Expected.inactive()));
    rows.add(new Row("refresh token after its client was deleted", ACCOUNT, ofDeletedClient.text("refresh_token"),
        Expected.inactive()));

    newUser(BRIEF, TestServer.USERNAME);
    var expired = login(BRIEF, "brief-key", TestServer.USERNAME, "meshy.api offline_access");
    rows.add(new Row("user access token, expired", BRIEF, expired.text("access_token"), Expected.inactive()));
    rows.add(new Row("refresh token, expired", BRIEF, expired.text("refresh_token"), Expected.inactive()));

    newUser(OTHER, TestServer.USERNAME);
    var foreign = login(OTHER, "other-key", TestServer.USERNAME, "meshy.api offline_access");
    rows.add(new Row("user access token of another account", ACCOUNT, foreign.text("access_token"),
        Expected.inactive()));
    rows.add(new Row("refresh token of another account", ACCOUNT, foreign.text("refresh_token"),
        Expected.inactive()));
    rows.add(new Row("another account's user access token at its own account", OTHER, foreign.text("access_token"),
        Expected.accessToken("other-key", Optional.of(TestServer.USERNAME), userId(OTHER, TestServer.USERNAME),
            "meshy.api offline_access")));

    rows.add(new Row("an ID token, which is no access token", ACCOUNT,
        login(ACCOUNT, CLIENT_ID, TestServer.USERNAME, "meshy.api openid").text("id_token"), Expected.inactive()));
    rows.add(new Row("garbage", ACCOUNT, "not-a-token", Expected.inactive()));
    rows.add(new Row("a JWT's shape, not signed by the account", ACCOUNT,
        "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.", Expected.inactive()));

    // a client's own access tokens (client_credentials)
    var service = createConfidential(ACCOUNT, "batch-job");
    rows.add(new Row("client access token", ACCOUNT, clientToken(ACCOUNT, "batch-job", service),
        Expected.accessToken("batch-job", Optional.empty(), "batch-job", "meshy.api")));
    rows.add(new Row("client access token of the asking client itself", ACCOUNT,
        clientToken(ACCOUNT, RESOURCE_SERVER, resourceServerSecrets.get(ACCOUNT)),
        Expected.accessToken(RESOURCE_SERVER, Optional.empty(), RESOURCE_SERVER, "meshy.api")));
    var retired = clientToken(ACCOUNT, "retired-job", createConfidential(ACCOUNT, "retired-job"));
    server.server.stores().accounts().deleteClient(ACCOUNT, "retired-job");
    rows.add(new Row("client access token after its client was deleted", ACCOUNT, retired, Expected.inactive()));
    rows.add(new Row("client access token, expired", BRIEF,
        clientToken(BRIEF, RESOURCE_SERVER, resourceServerSecrets.get(BRIEF)), Expected.inactive()));
    rows.add(new Row("client access token of another account", ACCOUNT,
        clientToken(OTHER, RESOURCE_SERVER, resourceServerSecrets.get(OTHER)), Expected.inactive()));

    // refresh tokens
    var refresh = login(ACCOUNT, CLIENT_ID, TestServer.USERNAME, "meshy.api offline_access");
    rows.add(new Row("refresh token", ACCOUNT, refresh.text("refresh_token"),
        Expected.refreshToken(CLIENT_ID, TestServer.USERNAME, alice, "meshy.api offline_access")));
    var rotatedAway = login(ACCOUNT, CLIENT_ID, TestServer.USERNAME, "meshy.api offline_access")
        .text("refresh_token");
    var rotatedInto = server.http.postForm(TOKEN_PATH, refreshForm(rotatedAway)).text("refresh_token");
    rows.add(new Row("refresh token, rotated away", ACCOUNT, rotatedAway, Expected.inactive()));
    rows.add(new Row("refresh token it was rotated into", ACCOUNT, rotatedInto,
        Expected.refreshToken(CLIENT_ID, TestServer.USERNAME, alice, "meshy.api offline_access")));
    var revoked = login(ACCOUNT, CLIENT_ID, TestServer.USERNAME, "meshy.api offline_access").text("refresh_token");
    revoke(revoked);
    rows.add(new Row("refresh token, revoked", ACCOUNT, revoked, Expected.inactive()));

    clock.advance(PAST_EVERY_BRIEF_TOKEN);

    return rows.stream().flatMap(row -> HINTS.stream().map(hint -> DynamicTest.dynamicTest(
        row.name() + ", hint " + hint.orElse("none"), () -> assertIntrospected(row, hint))));
  }

  private void assertIntrospected(Row row, Optional<String> hint) {
    var answer = introspect(row.account(), row.token(), hint);

    assertThat(answer.status()).as(answer.response().body()).isEqualTo(200);
    assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
    var body = answer.json();
    var expected = row.expected();
    if (!expected.active()) {
      // section 2.2: an inactive token is {"active": false}, with nothing said of what it was
      assertThat(answer.response().body()).isEqualToIgnoringWhitespace("{\"active\":false}");
      return;
    }
    assertThat(body.get("active").asBoolean()).isTrue();
    assertThat(body.get("token_type").asText()).isEqualTo(expected.tokenType());
    assertThat(body.get("client_id").asText()).isEqualTo(expected.clientId());
    assertThat(Optional.ofNullable(body.get("username")).map(node -> node.asText())).isEqualTo(expected.username());
    assertThat(body.get("sub").asText()).isEqualTo(expected.subject());
    assertThat(Set.of(body.get("scope").asText().split(" "))).isEqualTo(expected.scope());
    assertThat(body.get("iss").asText()).isEqualTo(issuer(row.account()));
    assertThat(body.get("exp").asLong()).isGreaterThan(body.get("iat").asLong());
    if (expected.tokenType().equals("Bearer")) {
      // what the JWT itself says
      var claims = payload(row.token());
      assertThat(body.get("aud").asText()).isEqualTo("meshy.api");
      assertThat(body.get("jti").asText()).isEqualTo(claims.get("jti").asText());
      assertThat(body.get("iat").asLong()).isEqualTo(claims.get("iat").asLong());
      assertThat(body.get("exp").asLong()).isEqualTo(claims.get("exp").asLong());
    } else {
      assertThat(body.has("aud")).isFalse();
      assertThat(body.has("jti")).isFalse();
    }
  }

  @Test
  void aClientMayAuthenticateInTheFormToo() {
    var token = server.login().text("access_token");
    var form = introspectionForm(token, Optional.empty());
    form.put("client_id", RESOURCE_SERVER);
    form.put("client_secret", resourceServerSecrets.get(ACCOUNT));

    var answer = server.http.postForm(INTROSPECT, form);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().get("active").asBoolean()).isTrue();
  }

  @Test
  void aPublicClientMayNotIntrospect() {
    var form = introspectionForm(server.login().text("access_token"), Optional.empty());
    form.put("client_id", CLIENT_ID);

    assertAuthenticationFailed(server.http.postForm(INTROSPECT, form));
    // MeshyDB's empty secret is still no secret
    assertAuthenticationFailed(server.http.postRaw(INTROSPECT, SpecCheckedHttp.FORM,
        Forms.encode(with(form, "client_secret", ""))));
  }

  @Test
  void aWrongSecretOrNoSecretIs401() {
    var token = server.login().text("access_token");

    assertAuthenticationFailed(server.http.postForm(INTROSPECT, introspectionForm(token, Optional.empty()),
        Map.of("Authorization", basic(RESOURCE_SERVER, "wrong"))));
    assertAuthenticationFailed(server.http.postForm(INTROSPECT,
        with(introspectionForm(token, Optional.empty()), "client_id", RESOURCE_SERVER)));
  }

  @Test
  void aClientOfAnotherAccountMayNotIntrospectThisOnesTokens() {
    server.server.provisioning().createAccount(OTHER, "other-key");
    var secret = createConfidential(OTHER, "other-resource-server");

    assertAuthenticationFailed(server.http.postForm(INTROSPECT,
        introspectionForm(server.login().text("access_token"), Optional.empty()),
        Map.of("Authorization", basic("other-resource-server", secret))));
  }

  @Test
  void aRequestWithoutAnyClientIsChallengedForOne() {
    // RFC 7662 section 2.1: the endpoint is for a client that authenticates; none at all is challenged
    assertAuthenticationFailed(server.http.postForm(INTROSPECT, introspectionForm(server.login().text("access_token"),
        Optional.empty())));
  }

  @Test
  void anUnknownClientWithoutASecretIsMeshyDbsInvalidClient() {
    var form = with(introspectionForm("whatever", Optional.empty()), "client_id", "nobody");

    assertError(server.http.postForm(INTROSPECT, form), "invalid_client", "Client id is invalid.");
  }

  @Test
  void credentialsInTheHeaderAndTheFormAtOnceAreInvalidRequest() {
    var secret = resourceServerSecrets.get(ACCOUNT);
    var form = with(with(introspectionForm("whatever", Optional.empty()), "client_id", RESOURCE_SERVER),
        "client_secret", secret);

    assertError(server.http.postForm(INTROSPECT, form, Map.of("Authorization", basic(RESOURCE_SERVER, secret))),
        "invalid_request", "Client credentials must be sent one way, not in both the header and the form.");
  }

  @Test
  void aMissingTokenIsInvalidRequest() {
    var answer = server.http.postRaw(INTROSPECT, SpecCheckedHttp.FORM,
        Forms.encode(Map.of("client_id", RESOURCE_SERVER, "client_secret", resourceServerSecrets.get(ACCOUNT))));

    assertError(answer, "invalid_request", "The token parameter is required.");
  }

  @Test
  void introspectionCountsAgainstTheAccountsRequestLimit() {
    server.createLimitedAccount("small", "small-key", 2);
    var secret = createConfidential("small", RESOURCE_SERVER);
    var form = introspectionForm("whatever", Optional.empty());
    var credentials = Map.of("Authorization", basic(RESOURCE_SERVER, secret));

    assertThat(server.http.postForm("/small/connect/introspect", form, credentials).status()).isEqualTo(200);
    assertThat(server.http.postForm("/small/connect/introspect", form, credentials).status()).isEqualTo(200);
    var limited = server.http.postForm("/small/connect/introspect", form, credentials);

    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.text("error")).isEqualTo("too_many_requests");
    assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 60);
    assertThat(limited.header("RateLimit-Policy")).isEqualTo("\"account\";q=2;w=60");
    assertThat(server.http.postForm(INTROSPECT, form, Map.of("Authorization", basic(RESOURCE_SERVER,
        resourceServerSecrets.get(ACCOUNT)))).status()).as("another account's limit").isEqualTo(200);
  }

  @Test
  void introspectionChangesNothing() {
    var login = server.login();
    var refreshToken = login.text("refresh_token");

    for (var hint : HINTS) {
      introspect(ACCOUNT, refreshToken, hint);
      introspect(ACCOUNT, login.text("access_token"), hint);
    }

    assertThat(introspect(ACCOUNT, refreshToken, Optional.empty()).json().get("active").asBoolean()).isTrue();
    assertThat(server.http.postForm(TOKEN_PATH, refreshForm(refreshToken)).status()).isEqualTo(200);
  }

  private SpecCheckedHttp.Answer introspect(String account, String token, Optional<String> hint) {
    return server.http.postForm("/" + account + "/connect/introspect", introspectionForm(token, hint),
        Map.of("Authorization", basic(RESOURCE_SERVER, resourceServerSecrets.get(account))));
  }

  private static Map<String, String> introspectionForm(String token, Optional<String> hint) {
    var form = new LinkedHashMap<String, String>();
    form.put("token", token);
    hint.ifPresent(value -> form.put("token_type_hint", value));
    return form;
  }

  private SpecCheckedHttp.Answer login(String account, String clientId, String username, String scope) {
    var form = with(with(with(passwordForm(), "client_id", clientId), "username", username), "scope", scope);
    var answer = server.http.postForm("/" + account + "/connect/token", form);
    assertThat(answer.status()).as(answer.response().body()).isEqualTo(200);
    return answer;
  }

  private String clientToken(String account, String clientId, String secret) {
    var form = new LinkedHashMap<String, String>();
    form.put("grant_type", "client_credentials");
    var answer = server.http.postForm("/" + account + "/connect/token", form,
        Map.of("Authorization", basic(clientId, secret)));
    assertThat(answer.status()).as(answer.response().body()).isEqualTo(200);
    return answer.text("access_token");
  }

  private void revoke(String refreshToken) {
    var form = new LinkedHashMap<String, String>();
    form.put("token", refreshToken);
    form.put("token_type_hint", "refresh_token");
    form.put("client_id", CLIENT_ID);
    assertThat(server.http.postForm(REVOCATION_PATH, form).status()).isEqualTo(200);
  }

  private String newUser(String account, String username) {
    server.server.provisioning().createUser(account, username, Password.of(PASSWORD));
    return username;
  }

  private String userId(String account, String username) {
    return server.server.stores().users().findUser(account, username).orElseThrow().id();
  }

  private String issuer(String account) {
    return server.http.get("/" + account + "/.well-known/openid-configuration").json().get("issuer").asText();
  }

  /** A confidential client allowed client_credentials with the scope meshy.api; answers its secret. */
  private String createConfidential(String account, String clientId) {
    var secret = ClientSecrets.newSecret(clock.instant());
    server.server.stores().accounts().createClient(new Client(account, clientId, true, Set.of("client_credentials"),
        Optional.of(Scope.parse("meshy.api")), List.of(secret.stored())));
    return secret.secret();
  }
}
