package io.meshyauth.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshyauth.server.MeshyAuthServer;
import io.meshyauth.server.fixtures.ContractFixtures;
import io.meshyauth.server.fixtures.ProviderStateEndpoint;
import io.meshyauth.server.testing.Forms;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** serve --fixtures: the real server as a consumer's test double, and its provider-state endpoint. */
class ServeFixturesTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir
  Path dir;

  private static MeshyAuthServer serve(String... args) {
    var command = new ServeCommand();
    new CommandLine(command).parseArgs(args);
    return command.start();
  }

  @Test
  void fixturesHoldTheContractsAccountsAndTokens() throws Exception {
    try (var server = serve("--port", "0", "--fixtures")) {
      assertThat(login(server, ContractFixtures.USERNAME, ContractFixtures.PASSWORD).statusCode()).isEqualTo(200);
      assertThat(login(server, ContractFixtures.INACTIVE_USERNAME, ContractFixtures.INACTIVE_PASSWORD).body())
          .contains("User is no longer active.");
      var bruteForced = login(server, ContractFixtures.BRUTE_FORCED_USERNAME, ContractFixtures.BRUTE_FORCED_PASSWORD);
      assertThat(bruteForced.statusCode()).isEqualTo(429);
      // seconds until one failed login refills: 300 when just spent, less as time passes
      assertThat(Integer.parseInt(bruteForced.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 300);
      assertThat(refresh(server, ContractFixtures.LOGIN_REFRESH_TOKEN).statusCode()).isEqualTo(200);
      assertThat(refresh(server, ContractFixtures.EXPIRED_REFRESH_TOKEN).body()).contains("Refresh token is expired.");
    }
  }

  /**
   * The service acme-service gets a token of its own with the published secret (client_secret_basic), which its own
   * introspection finds active; any other secret is a 401 invalid_client with the Basic challenge.
   */
  @Test
  void fixturesServiceGetsAClientCredentialsTokenWithThePublishedSecret() throws Exception {
    try (var server = serve("--port", "0", "--fixtures")) {
      var issued = asService(server, "connect/token", ContractFixtures.SERVICE_SECRET,
          Map.of("grant_type", "client_credentials"));
      var refused = asService(server, "connect/token", ContractFixtures.WRONG_SERVICE_SECRET,
          Map.of("grant_type", "client_credentials"));

      assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
      var tokens = new ObjectMapper().readTree(issued.body());
      assertThat(tokens.path("token_type").asText()).isEqualTo("Bearer");
      assertThat(tokens.path("scope").asText()).isEqualTo(ContractFixtures.SERVICE_SCOPE);
      assertThat(tokens.has("refresh_token")).isFalse();
      var introspected = asService(server, "connect/introspect", ContractFixtures.SERVICE_SECRET,
          Map.of("token", tokens.path("access_token").asText()));
      assertThat(new ObjectMapper().readTree(introspected.body()).path("sub").asText())
          .isEqualTo(ContractFixtures.SERVICE_CLIENT_ID);
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(refused.body()).contains("invalid_client");
      assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
          challenge -> assertThat(challenge).startsWith("Basic"));
    }
  }

  /** The service's state makes it as published again, and answers alice's live access token for introspection. */
  @Test
  void serviceAndLoggedInStatesLetTheServiceIntrospectAlicesAccessToken() throws Exception {
    try (var server = serve("--port", "0", "--fixtures")) {
      server.stores().accounts().deleteClient(ContractFixtures.ACCOUNT, ContractFixtures.SERVICE_CLIENT_ID);
      assertThat(changeState(server, "{\"state\": \"" + ContractFixtures.SERVICE_CLIENT
          + "\", \"action\": \"setup\"}").statusCode()).isEqualTo(200);
      var loggedIn = changeState(server, "{\"state\": \"" + ContractFixtures.ACTIVE_USER_LOGGED_IN
          + "\", \"action\": \"setup\"}");
      var accessToken = new ObjectMapper().readTree(loggedIn.body()).path("accessToken").asText();

      var introspected = asService(server, "connect/introspect", ContractFixtures.SERVICE_SECRET,
          Map.of("token", accessToken));

      assertThat(introspected.statusCode()).as(introspected.body()).isEqualTo(200);
      var answer = new ObjectMapper().readTree(introspected.body());
      assertThat(answer.path("active").asBoolean()).isTrue();
      assertThat(answer.path("username").asText()).isEqualTo(ContractFixtures.USERNAME);
      assertThat(answer.path("client_id").asText()).isEqualTo(ContractFixtures.CLIENT_ID);
    }
  }

  /** A form to one of account acme's endpoints, as acme-service with this secret (client_secret_basic). */
  private HttpResponse<String> asService(MeshyAuthServer server, String endpoint, String secret,
      Map<String, String> form) throws Exception {
    var credentials = Base64.getEncoder().encodeToString((ContractFixtures.SERVICE_CLIENT_ID + ":" + secret)
        .getBytes(StandardCharsets.UTF_8));
    return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/" + ContractFixtures.ACCOUNT + "/"
            + endpoint))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Authorization", "Basic " + credentials)
        .POST(HttpRequest.BodyPublishers.ofString(Forms.encode(form))).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Fixtures mode has no courier channel and needs none: every code is the published one. */
  @Test
  void aWholeEmailSignUpRunsOnTheFixturesWithThePublishedCode() throws Exception {
    try (var server = serve("--port", "0", "--fixtures")) {
      var users = server.baseUrl() + "/" + ContractFixtures.SIGNUP_EMAIL_ACCOUNT + "/users/";
      var registered = postJson(users + "register", "{\"username\":\"" + ContractFixtures.NEW_USERNAME
          + "\",\"newPassword\":\"newcomer-password\",\"emailAddress\":\"newcomer@example.com\"}");
      assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
      var hash = new ObjectMapper().readTree(registered.body());

      var verified = postJson(users + "verify", "{\"username\":\"" + ContractFixtures.NEW_USERNAME
          + "\",\"attempt\":1,\"hash\":\"" + hash.get("hash").asText() + "\",\"expires\":\""
          + hash.get("expires").asText() + "\",\"verificationCode\":\"" + ContractFixtures.VERIFICATION_CODE + "\"}");

      assertThat(verified.statusCode()).as(verified.body()).isEqualTo(204);
    }
  }

  /** The administration API: ada (role admins) reads the users of admin-demo, pat (no role) is refused. */
  @Test
  void fixturesServeAnAdministratorAndAPlainUserOfTheAdministrationApi() throws Exception {
    try (var server = serve("--port", "0", "--fixtures")) {
      var asAdministrator = getUsers(server, accessToken(server, ContractFixtures.ADMIN_USERNAME,
          ContractFixtures.ADMIN_PASSWORD));
      var asPlainUser = getUsers(server, accessToken(server, ContractFixtures.PLAIN_USERNAME,
          ContractFixtures.PLAIN_PASSWORD));

      assertThat(asAdministrator.statusCode()).as(asAdministrator.body()).isEqualTo(200);
      var users = new ObjectMapper().readTree(asAdministrator.body());
      assertThat(users.path("totalRecords").asLong()).isEqualTo(4);
      assertThat(users.path("results").findValuesAsText("id")).contains(ContractFixtures.TARGET_USER_ID);
      assertThat(asPlainUser.statusCode()).as(asPlainUser.body()).isEqualTo(403);
      assertThat(new ObjectMapper().readTree(asPlainUser.body()).path("message").asText())
          .isEqualTo("User has insufficent permission to read users.");
    }
  }

  /** The administrator's state logs ada in whatever became of her: deleted, or her password changed. */
  @Test
  void administratorStateSignsAdaInAgainAfterHerPasswordChanged() throws Exception {
    try (var server = serve("--port", "0", "--fixtures")) {
      var token = accessToken(server, ContractFixtures.ADMIN_USERNAME, ContractFixtures.ADMIN_PASSWORD);
      var changed = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/"
              + ContractFixtures.ADMIN_ACCOUNT + "/users/me/password"))
          .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
          .POST(HttpRequest.BodyPublishers.ofString("{\"previousPassword\":\"" + ContractFixtures.ADMIN_PASSWORD
              + "\",\"newPassword\":\"another-password\"}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(changed.statusCode()).as(changed.body()).isEqualTo(204);

      var setUp = changeState(server, "{\"state\": \"" + ContractFixtures.ADMINISTRATOR_SIGNED_IN
          + "\", \"action\": \"setup\"}");

      assertThat(setUp.statusCode()).as(setUp.body()).isEqualTo(200);
      var answered = new ObjectMapper().readTree(setUp.body()).path("accessToken").asText();
      assertThat(getUsers(server, answered).statusCode()).isEqualTo(200);
      assertThat(accessToken(server, ContractFixtures.ADMIN_USERNAME, ContractFixtures.ADMIN_PASSWORD)).isNotBlank();
    }
  }

  private String accessToken(MeshyAuthServer server, String username, String password) throws Exception {
    var answer = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/" + ContractFixtures.ADMIN_ACCOUNT
            + "/connect/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(Forms.encode(Map.of("client_id",
            ContractFixtures.clientId(ContractFixtures.ADMIN_ACCOUNT), "grant_type", "password", "username", username,
            "password", password, "scope", "meshy.api offline_access")))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return new ObjectMapper().readTree(answer.body()).path("access_token").asText();
  }

  private HttpResponse<String> getUsers(MeshyAuthServer server, String accessToken) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/" + ContractFixtures.ADMIN_ACCOUNT
            + "/users"))
        .header("Authorization", "Bearer " + accessToken).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> postJson(String url, String json) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void providerStateSetupMakesASpentRefreshTokenLiveAgain() throws Exception {
    // no grace window, so that the replay below is refused at once
    var config = Files.writeString(dir.resolve("strict.properties"), "tokens.refresh-grace-window=0s\n");
    try (var server = serve("--port", "0", "--fixtures", "--config", config.toString())) {
      assertThat(refresh(server, ContractFixtures.REFRESH_TOKEN).statusCode()).isEqualTo(200);
      assertThat(refresh(server, ContractFixtures.REFRESH_TOKEN).statusCode()).isEqualTo(400);

      var setUp = changeState(server, "{\"state\": \"" + ContractFixtures.LIVE_REFRESH_TOKEN
          + "\", \"params\": {}, \"action\": \"setup\"}");

      assertThat(setUp.statusCode()).isEqualTo(200);
      assertThat(setUp.body()).isEqualTo("{}");
      assertThat(refresh(server, ContractFixtures.REFRESH_TOKEN).statusCode()).isEqualTo(200);
      assertThat(changeState(server, "{\"state\": \"" + ContractFixtures.LIVE_REFRESH_TOKEN
          + "\", \"action\": \"teardown\"}").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void registrationStateFreesTheUsernameTheContractRegisters() throws Exception {
    try (var server = serve("--port", "0", "--fixtures")) {
      assertThat(register(server).statusCode()).isEqualTo(201);
      assertThat(register(server).statusCode()).isEqualTo(400);

      changeState(server, "{\"state\": \"" + ContractFixtures.REGISTRATION_ENABLED + "\", \"action\": \"setup\"}");

      assertThat(register(server).statusCode()).isEqualTo(201);
    }
  }

  @Test
  void unknownStateOrBadBodyIsA400NamingTheKnownStates() throws Exception {
    try (var server = serve("--port", "0", "--fixtures")) {
      var unknown = changeState(server, "{\"state\": \"the moon is full\", \"action\": \"setup\"}");
      assertThat(unknown.statusCode()).isEqualTo(400);
      assertThat(unknown.body()).contains("no provider state 'the moon is full'", ContractFixtures.ACTIVE_USER);

      assertThat(changeState(server, "not json").statusCode()).isEqualTo(400);
      assertThat(changeState(server, "{\"action\": \"setup\"}").statusCode()).isEqualTo(400);
    }
  }

  @Test
  void everyStateTheContractsNameCanBeSetUp() throws Exception {
    try (var server = serve("--port", "0", "--fixtures")) {
      for (var state : ContractFixtures.stateNames()) {
        assertThat(changeState(server, "{\"state\": \"" + state + "\", \"action\": \"setup\"}").statusCode())
            .as(state).isEqualTo(200);
      }
    }
  }

  @Test
  void withoutFixturesThereIsNoProviderStateEndpoint() throws Exception {
    try (var server = serve("--port", "0", "--store", "jdbc:sqlite:" + dir.resolve("meshy-auth.db"))) {
      var answer = changeState(server, "{\"state\": \"" + ContractFixtures.ACTIVE_USER + "\", \"action\": \"setup\"}");

      assertThat(answer.statusCode()).isEqualTo(404);
      assertThat(server.stores().accounts().hasAccounts()).isFalse();
    }
  }

  @Test
  void fixturesRefuseDemoAndAStoreOfTheirOwn() {
    var withDemo = Cli.runAsIs("serve", "--port", "0", "--fixtures", "--demo");
    var withStore = Cli.runAsIs("serve", "--port", "0", "--fixtures", "--store",
        "jdbc:sqlite:" + dir.resolve("x.db"));

    assertThat(withDemo.exitCode()).isEqualTo(2);
    assertThat(withDemo.err()).isEqualTo("meshy-auth: --fixtures and --demo exclude each other: --fixtures "
        + "creates accounts of its own" + System.lineSeparator());
    assertThat(withStore.exitCode()).isEqualTo(2);
    assertThat(dir.resolve("x.db")).doesNotExist();
  }

  private HttpResponse<String> login(MeshyAuthServer server, String username, String password) throws Exception {
    return postForm(server, Forms.encode(Map.of("client_id", ContractFixtures.CLIENT_ID, "grant_type", "password",
        "username", username, "password", password, "scope", "meshy.api offline_access")));
  }

  private HttpResponse<String> refresh(MeshyAuthServer server, String token) throws Exception {
    return postForm(server, Forms.encode(Map.of("client_id", ContractFixtures.CLIENT_ID, "grant_type",
        "refresh_token", "refresh_token", token)));
  }

  private HttpResponse<String> postForm(MeshyAuthServer server, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/" + ContractFixtures.ACCOUNT
            + "/connect/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> register(MeshyAuthServer server) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/" + ContractFixtures.OPEN_ACCOUNT
            + "/users/register/anonymous"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"username\": \"" + ContractFixtures.NEW_DEVICE + "\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> changeState(MeshyAuthServer server, String json) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + ProviderStateEndpoint.PATH))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
