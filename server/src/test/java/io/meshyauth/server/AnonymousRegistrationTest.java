package io.meshyauth.server;

import static io.meshyauth.server.TestServer.passwordForm;
import static io.meshyauth.server.TestServer.with;
import static io.meshyauth.server.testing.OAuthErrors.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshyauth.server.testing.Forms;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "on {0}")
@EnumSource(StoreKind.class)
class AnonymousRegistrationTest {
  private static final String OPEN = "/open/users/register/anonymous";
  private final TestServer server;

  AnonymousRegistrationTest(StoreKind store) {
    server = TestServer.start(store);
    server.server.provisioning().createAccount("open", "open-key", true);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void registeredAnonymousUserLogsInWithTheStaticPassword() {
    var registered = server.http.postJson(OPEN, "{\"username\":\"device-7\"}");

    assertThat(registered.status()).isEqualTo(201);
    assertThat(registered.text("username")).isEqualTo("device-7");
    assertThat(registered.json().get("anonymous").asBoolean()).isTrue();
    var form = with(with(with(passwordForm(), "client_id", "open-key"), "username", "device-7"), "password",
        "nopassword");
    assertThat(server.http.postForm("/open/connect/token", form).status()).isEqualTo(200);
  }

  @Test
  void aBurstFromOneAddressRegistersNoMoreThanItsLimit() {
    var burst = Burst.of(50, i -> server.http.postJson(OPEN, "{\"username\":\"device-" + i + "\"}"));

    var limit = ServerConfig.defaults().limits().registrationsPerIp();
    assertThat(Burst.count(burst, 201)).isEqualTo(limit);
    assertThat(Burst.count(burst, 429)).isEqualTo(50 - limit);
    assertThat(burst.stream().filter(answer -> answer.status() == 429).findFirst().orElseThrow()
        .header("RateLimit-Policy")).isEqualTo("\"anonymous-registrations-per-ip\";q=" + limit + ";w=3600");
    assertThat(server.server.stores().users().listUsers("open")).hasSize((int) limit);
  }

  @Test
  void aUsernameOverTheDocumentsMaxLengthIsInvalidRequestAndOneAtItIsRegistered() {
    // 128 characters in 256 UTF-16 units: the document's maxLength counts characters, as JSON Schema does
    var atTheLimit = "\uD83D\uDE00".repeat(128);
    var tooLong = "d".repeat(129);

    var refused = server.http.postRaw(OPEN, "application/json", "{\"username\":\"" + tooLong + "\"}");
    var registered = server.http.postJson(OPEN, "{\"username\":\"" + atTheLimit + "\"}");
    var login = server.http.postRaw(TestServer.TOKEN_PATH.replace(TestServer.ACCOUNT, "open"), SpecCheckedHttp.FORM,
        Forms.encode(Map.of("client_id", "open-key", "grant_type", "password", "username", tooLong,
            "password", "nopassword")));

    assertError(refused, "invalid_request", "The username field must be at most 128 characters.");
    assertThat(registered.status()).isEqualTo(201);
    assertThat(login.status()).isEqualTo(400);
    assertThat(login.json().get("error_description").asText())
        .isEqualTo("The username parameter must be at most 128 characters.");
  }

  @Test
  void registrationIsRefusedWhenTheAccountDoesNotEnableIt() {
    assertError(server.http.postJson("/" + TestServer.ACCOUNT + "/users/register/anonymous", "{\"username\":\"x\"}"),
        "invalid_request", "Anonymous registration is not enabled.");
  }

  /** MeshyDB's apps show response.message: the API's paths carry it, the token endpoint's RFC 6749 errors do not. */
  @Test
  void aRefusalOnTheApiCarriesMeshyDbsMessageAndOneOnConnectDoesNot() {
    var api = server.http.postJson("/" + TestServer.ACCOUNT + "/users/register/anonymous", "{\"username\":\"x\"}");
    var token = server.http.postForm(TestServer.TOKEN_PATH, with(passwordForm(), "password", "wrong"));

    assertThat(api.text("message")).isEqualTo("Anonymous registration is not enabled.");
    assertThat(token.json().has("message")).isFalse();
    assertThat(token.text("error_description")).isEqualTo("Username or password is invalid.");
  }

  @Test
  void registrationOfATakenUsernameIsRefusedWhateverItsCase() {
    server.http.postJson(OPEN, "{\"username\":\"Device-8\"}");

    assertError(server.http.postJson(OPEN, "{\"username\":\"device-8\"}"), "invalid_request",
        "Username must be unique.");
  }

  @Test
  void bodyThatIsNotTheDeclaredJsonIsInvalidRequest() {
    assertError(server.http.postRaw(OPEN, "application/json", "{\"username\":"), "invalid_request",
        "The request body is not valid.");
    assertError(server.http.postRaw(OPEN, "application/json", "{\"username\":\"   \"}"), "invalid_request",
        "The username is required.");
    assertError(server.http.postRaw(OPEN, SpecCheckedHttp.FORM, "username=x"), "invalid_request",
        "The request body must be one of [application/json].");
  }
}
