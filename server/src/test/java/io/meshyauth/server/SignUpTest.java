package io.meshyauth.server;

import static io.meshyauth.server.TestServer.ACCOUNT;
import static io.meshyauth.server.TestServer.TOKEN_PATH;
import static io.meshyauth.server.TestServer.passwordForm;
import static io.meshyauth.server.TestServer.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshyauth.server.courier.CourierSettings;
import io.meshyauth.server.courier.CourierSettings.Webhook;
import io.meshyauth.server.store.SignUpPolicy;
import io.meshyauth.server.store.SignUpPolicy.Verification;
import io.meshyauth.server.testing.WebhookReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * MeshyDB's sign-up and recovery over HTTP, on a real server and store, as its SDKs call them: registration in
 * each verification mode, the code through the courier's signed webhook to a real receiver, verification, password
 * reset by code and by security question, and the defences (single use, the shared budget under concurrency,
 * enumeration).
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(StoreKind.class)
class SignUpTest {
  private static final String SECRET = "a-webhook-secret-of-32-characters!";
  private static final String USERS = "/" + ACCOUNT + "/users/";

  private final WebhookReceiver receiver = new WebhookReceiver();
  private final TestServer server;

  SignUpTest(StoreKind store) {
    server = TestServer.start(store, config -> config
        .withCourier(CourierSettings.defaults().withWebhook(new Webhook(receiver.url(), SECRET)))
        .withLimits(config.limits().withSignUp(config.limits().signUp().withFailedVerificationsPerUsername(5))));
  }

  @AfterEach
  void stop() {
    server.close();
    receiver.close();
  }

  private void policy(Verification verification, boolean hideUnknownUsers) {
    server.server.stores().accounts().updateSignUp(ACCOUNT, new SignUpPolicy(true, verification, 8,
        hideUnknownUsers));
  }

  private SpecCheckedHttp.Answer login(String username, String password) {
    return server.http.postForm(TOKEN_PATH, with(with(passwordForm(), "username", username), "password", password));
  }

  @Test
  void inEmailModeTheCodeGoesByTheSignedWebhookAndTheUserLogsInOnceVerified() throws Exception {
    policy(Verification.EMAIL, false);

    var registered = server.http.postJson(USERS + "register",
        "{\"username\":\"bob\",\"newPassword\":\"a-long-password\",\"emailAddress\":\"bob@example.com\"}");
    var beforeVerifying = login("bob", "a-long-password");
    var message = receiver.awaitSigned(SECRET, 1).get(0);

    assertThat(registered.status()).isEqualTo(201);
    assertThat(registered.text("hash")).startsWith("v1.");
    assertThat(beforeVerifying.status()).isEqualTo(400);
    assertThat(beforeVerifying.text("error_description")).isEqualTo("User is not verified.");
    assertThat(message.get("to").asText()).isEqualTo("bob@example.com");
    assertThat(message.get("kind").asText()).isEqualTo("verify_email");
    var code = message.get("code").asText();
    assertThat(code).matches("[0-9]{6}");

    // as MeshyDB's .NET SDK sends it back: PascalCase, expires re-spelled with seven digits and an offset
    var expires = OffsetDateTime.parse(registered.text("expires")).withOffsetSameInstant(ZoneOffset.UTC)
        .format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSxxx"));
    var check = "{\"Username\":\"bob\",\"Attempt\":0,\"Hash\":\"" + registered.text("hash") + "\",\"Expires\":\""
        + expires + "\",\"Hint\":null,\"VerificationCode\":\"" + code + "\",\"Extra\":1}";
    var verified = server.http.postRaw(USERS + "verify", "application/json", check);
    var again = server.http.postRaw(USERS + "verify", "application/json", check);

    assertThat(verified.status()).isEqualTo(204);
    assertThat(login("bob", "a-long-password").status()).isEqualTo(200);
    assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.server.baseUrl()
        + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body())
        .contains("meshy_courier_messages_queued_total{channel=\"webhook\"");
    assertThat(again.status()).isEqualTo(400);
    assertThat(again.text("message")).isEqualTo("User has already been verified.");
  }

  @Test
  void aResetWorksOnceAndEndsEveryRefreshTokenOfTheUser() throws Exception {
    policy(Verification.EMAIL, false);
    var registered = server.http.postJson(USERS + "register",
        "{\"username\":\"carol\",\"newPassword\":\"first-password\",\"emailAddress\":\"carol@example.com\"}");
    var registrationCode = receiver.awaitSigned(SECRET, 1).get(0).get("code").asText();
    assertThat(server.http.postJson(USERS + "verify", check("carol", registered, registrationCode)).status())
        .isEqualTo(204);
    var refreshToken = login("carol", "first-password").text("refresh_token");

    var issued = server.http.postJson(USERS + "forgotpassword", "{\"username\":\"carol\",\"attempt\":1}");
    var code = receiver.awaitSigned(SECRET, 2).get(1).get("code").asText();
    var reset = "{\"username\":\"carol\",\"attempt\":1,\"hash\":\"" + issued.text("hash") + "\",\"expires\":\""
        + issued.text("expires") + "\",\"verificationCode\":\"" + code + "\",\"newPassword\":\"second-password\"}";
    var first = server.http.postJson(USERS + "resetpassword", reset);
    var replayed = server.http.postJson(USERS + "resetpassword", reset.replace("second-", "third-"));

    assertThat(issued.status()).isEqualTo(200);
    assertThat(first.status()).isEqualTo(204);
    assertThat(replayed.status()).isEqualTo(400);
    assertThat(replayed.text("message")).isEqualTo("Request hash is invalid.");
    assertThat(login("carol", "second-password").status()).isEqualTo(200);
    assertThat(login("carol", "third-password").status()).isEqualTo(400);
    assertThat(server.http.postForm(TOKEN_PATH, TestServer.refreshForm(refreshToken)).status()).isEqualTo(400);
  }

  /**
   * A user whose verification code was lost recovers by a reset: its code reached the contact, which proves it.
   * checkhash takes that reset code though the user is not verified yet.
   */
  @Test
  void aResetProvesTheContactOfAUserWhoNeverVerified() throws Exception {
    policy(Verification.EMAIL, false);
    server.http.postJson(USERS + "register",
        "{\"username\":\"ivy\",\"newPassword\":\"first-password\",\"emailAddress\":\"ivy@example.com\"}");
    receiver.awaitSigned(SECRET, 1);

    var issued = server.http.postJson(USERS + "forgotpassword", "{\"username\":\"ivy\"}");
    var code = receiver.awaitSigned(SECRET, 2).get(1).get("code").asText();
    var checked = server.http.postJson(USERS + "checkhash", check("ivy", issued, code));
    var reset = server.http.postJson(USERS + "resetpassword", check("ivy", issued, code)
        .replace("}", ",\"newPassword\":\"second-password\"}"));

    assertThat(checked.json().get("isValid").asBoolean()).isTrue();
    assertThat(reset.status()).isEqualTo(204);
    assertThat(login("ivy", "second-password").status()).isEqualTo(200);
  }

  /** Codes to one username are bounded from every address together: nobody floods a user's inbox. */
  @Test
  void resetCodesToOneUsernameStopAtTheirBudget() throws Exception {
    policy(Verification.EMAIL, false);
    server.http.postJson(USERS + "register",
        "{\"username\":\"jo\",\"newPassword\":\"jo-password\",\"emailAddress\":\"jo@example.com\"}");

    var answers = new java.util.ArrayList<Integer>();
    for (int i = 0; i < 7; i++) {
      answers.add(server.http.postJson(USERS + "forgotpassword", "{\"username\":\"jo\"}").status());
    }

    assertThat(answers).containsExactly(200, 200, 200, 200, 200, 429, 429);
    assertThat(receiver.awaitSigned(SECRET, 6)).hasSize(6);
  }

  @Test
  void inQuestionModeTheAttemptPicksTheQuestionAndTheAnswerIsTheCode() {
    policy(Verification.QUESTION, false);
    var registered = server.http.postJson(USERS + "register", "{\"username\":\"dave\",\"newPassword\":"
        + "\"dave-password\",\"securityQuestions\":[{\"question\":\"First pet?\",\"answer\":\"Rex\"},"
        + "{\"question\":\"Street?\",\"answer\":\"Elm\"}]}");

    var first = server.http.postJson(USERS + "forgotpassword", "{\"username\":\"dave\",\"attempt\":1}");
    var second = server.http.postJson(USERS + "forgotpassword", "{\"username\":\"dave\",\"attempt\":2}");
    var wrong = server.http.postJson(USERS + "checkhash", check("dave", second, "Oak"));
    var right = server.http.postJson(USERS + "checkhash", check("dave", second, "  elm "));
    var reset = server.http.postJson(USERS + "resetpassword", check("dave", second, "ELM")
        .replace("}", ",\"newPassword\":\"dave-new-password\"}"));

    assertThat(registered.status()).isEqualTo(204);
    assertThat(first.text("hint")).isEqualTo("First pet?");
    assertThat(second.text("hint")).isEqualTo("Street?");
    assertThat(wrong.json().get("isValid").asBoolean()).isFalse();
    assertThat(right.json().get("isValid").asBoolean()).isTrue();
    assertThat(reset.status()).isEqualTo(204);
    assertThat(login("dave", "dave-new-password").status()).isEqualTo(200);
  }

  /** Many wrong guesses in flight at once: no more are checked than the budget, and then the right code is 429. */
  @Test
  void concurrentGuessesAtOneUsersCodeNeverExceedTheBudget() throws Exception {
    policy(Verification.EMAIL, false);
    var registered = server.http.postJson(USERS + "register",
        "{\"username\":\"erin\",\"newPassword\":\"erin-password\",\"emailAddress\":\"erin@example.com\"}");
    var code = receiver.awaitSigned(SECRET, 1).get(0).get("code").asText();
    var wrongCode = code.equals("000000") ? "000001" : "000000";

    var burst = Burst.of(40, i -> server.http.postJson(USERS + "checkhash", check("erin", registered, wrongCode)));
    var rightAfter = server.http.postJson(USERS + "checkhash", check("erin", registered, code));

    assertThat(Burst.count(burst, 200)).isEqualTo(5);
    assertThat(Burst.count(burst, 429)).isEqualTo(35);
    assertThat(rightAfter.status()).isEqualTo(429);
    assertThat(rightAfter.header("Retry-After")).isNotNull();
  }

  @Test
  void existsAndForgotPasswordAnswerAsMeshyDbDoesUnlessTheAccountHidesUnknownUsers() throws Exception {
    policy(Verification.QUESTION, false);
    server.http.postJson(USERS + "register", "{\"username\":\"frank\",\"newPassword\":\"frank-password\","
        + "\"securityQuestions\":[{\"question\":\"Pet?\",\"answer\":\"Tom\"}]}");

    assertThat(server.http.get(USERS + "frank/exists").json().get("exists").asBoolean()).isTrue();
    assertThat(server.http.get(USERS + "nobody/exists").json().get("exists").asBoolean()).isFalse();
    // MeshyDB's JS SDK sends the username as a form body on this GET: it is ignored
    var withBody = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.server.baseUrl()
        + USERS + "frank/exists")).method("GET", HttpRequest.BodyPublishers.ofString("username=frank"))
        .header("Content-Type", "application/x-www-form-urlencoded").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(withBody.statusCode()).isEqualTo(200);
    var unknown = server.http.postJson(USERS + "forgotpassword", "{\"username\":\"nobody\"}");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.text("message")).isEqualTo("User was not found.");

    policy(Verification.QUESTION, true);
    var hidden = server.http.postJson(USERS + "forgotpassword", "{\"username\":\"nobody\"}");
    var refused = server.http.get(USERS + "frank/exists");

    assertThat(hidden.status()).isEqualTo(200);
    assertThat(hidden.text("hash")).startsWith("v1.");
    assertThat(server.http.postJson(USERS + "checkhash", check("nobody", hidden, "anything")).json()
        .get("isValid").asBoolean()).isFalse();
    assertThat(refused.status()).isEqualTo(400);
  }

  /** A server with no courier channel cannot send a code: 503, and no user waits for a code that never comes. */
  @Test
  void withoutACourierChannelARegistrationThatNeedsACodeIs503AndCreatesNoUser() {
    try (var plain = TestServer.start(StoreKind.SQLITE)) {
      plain.server.stores().accounts().updateSignUp(ACCOUNT, new SignUpPolicy(true, Verification.EMAIL, 8, false));

      var refused = plain.http.postJson(USERS + "register",
          "{\"username\":\"hal\",\"newPassword\":\"hal-password\",\"emailAddress\":\"hal@example.com\"}");

      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.text("message")).isEqualTo("Verification codes cannot be sent right now.");
      assertThat(refused.header("Retry-After")).isEqualTo("60");
      assertThat(plain.server.stores().users().findUser(ACCOUNT, "hal")).isEmpty();
    }
  }

  @Test
  void registrationIsRefusedWithMeshyDbsMessages() {
    var closed = server.http.postJson(USERS + "register", "{\"username\":\"g\",\"newPassword\":\"g-password\"}");
    policy(Verification.TEXT, false);
    var noPhone = server.http.postJson(USERS + "register", "{\"username\":\"g\",\"newPassword\":\"g-password\"}");
    var badPhone = server.http.postJson(USERS + "register",
        "{\"username\":\"g\",\"newPassword\":\"g-password\",\"phoneNumber\":\"555-1234\"}");
    var shortPassword = server.http.postJson(USERS + "register",
        "{\"username\":\"g\",\"newPassword\":\"short\",\"phoneNumber\":\"+15555555555\"}");
    var taken = server.http.postJson(USERS + "register", "{\"username\":\"ALICE\",\"newPassword\":\"g-password\","
        + "\"phoneNumber\":\"+15555555555\"}");
    var control = server.http.postJson(USERS + "register", "{\"username\":\"g\\u0007\",\"newPassword\":"
        + "\"g-password\",\"phoneNumber\":\"+15555555555\"}");
    policy(Verification.QUESTION, false);
    var manyQuestions = new StringBuilder("{\"username\":\"g\",\"newPassword\":\"g-password\",\"securityQuestions\":[");
    for (int i = 0; i < 11; i++) {
      manyQuestions.append(i == 0 ? "" : ",").append("{\"question\":\"Q").append(i).append("?\",\"answer\":\"A\"}");
    }
    var tooMany = server.http.postRaw(USERS + "register", "application/json", manyQuestions.append("]}").toString());

    assertThat(closed.text("message")).isEqualTo("Public registration is not enabled.");
    assertThat(noPhone.text("message")).isEqualTo("Phone number is required when Text recovery is enabled.");
    assertThat(badPhone.text("message")).isEqualTo("Phone number must be in an international format.");
    assertThat(shortPassword.text("message")).isEqualTo("Password must be at least 8 characters.");
    assertThat(taken.text("message")).isEqualTo("Username must be unique.");
    assertThat(control.text("message")).isEqualTo("Username must not contain control characters.");
    assertThat(tooMany.text("message")).isEqualTo("At most 10 security questions are allowed.");
    assertThat(server.server.stores().users().findUser(ACCOUNT, "g")).isEmpty();
    // the refused registration of a taken name queued no code: the code goes in the user's own transaction
    assertThat(server.server.stores().outbox().orElseThrow().list(java.util.Optional.empty(), 10)).isEmpty();
  }

  @Test
  void aPasswordChangeShorterThanTheAccountsMinimumIsRefusedAndChangesNothing() {
    var token = login(TestServer.USERNAME, TestServer.PASSWORD).text("access_token");

    var refused = server.http.postJson(USERS + "me/password", "{\"previousPassword\":\"" + TestServer.PASSWORD
        + "\",\"newPassword\":\"short\"}", token);

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.text("message")).isEqualTo("Password must be at least 8 characters.");
    assertThat(login(TestServer.USERNAME, TestServer.PASSWORD).status()).isEqualTo(200);
  }

  @Test
  void updateSelfTakesTheWholeUserBackAndRefusesOnlyAChangeOfRoles() {
    policy(Verification.QUESTION, false);
    var token = login(TestServer.USERNAME, TestServer.PASSWORD).text("access_token");
    var self = server.http.get(USERS + "me", token).json();

    var sentBack = self.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) sentBack).put("firstName", "Alice")
        .put("emailAddress", "alice@example.com");
    var updated = server.http.putJsonUnchecked(USERS + "me", sentBack.toString(), token);
    var roleChange = server.http.putJsonUnchecked(USERS + "me",
        "{\"firstName\":\"Alice\",\"roles\":[{\"name\":\"admin\",\"addedDate\":\"2026-01-01T00:00:00Z\"}]}", token);
    var nullRole = server.http.putJsonUnchecked(USERS + "me", "{\"roles\":[null,{\"addedDate\":\"x\"}]}", token);
    var nul = server.http.putJsonUnchecked(USERS + "me", "{\"firstName\":\"A\\u0000\"}", token);
    var questions = server.http.postJson(USERS + "me/questions",
        "{\"securityQuestions\":[{\"question\":\"Pet?\",\"answer\":\"Rex\"}]}", token);

    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.text("firstName")).isEqualTo("Alice");
    assertThat(updated.text("emailAddress")).isEqualTo("alice@example.com");
    assertThat(roleChange.status()).isEqualTo(400);
    assertThat(roleChange.text("message")).isEqualTo("Unable to change user roles via API.");
    assertThat(nullRole.status()).isEqualTo(400);
    assertThat(nul.text("message")).isEqualTo("First name must not contain control characters.");
    assertThat(questions.status()).isEqualTo(204);
    var after = server.http.get(USERS + "me", token).json();
    assertThat(after.get("securityQuestions").get(0).get("question").asText()).isEqualTo("Pet?");
    assertThat(after.get("securityQuestions").get(0).has("answerHash")).isFalse();
  }

  private static String check(String username, SpecCheckedHttp.Answer issued, String code) {
    return "{\"username\":\"" + username + "\",\"attempt\":" + issued.json().get("attempt").asInt() + ",\"hash\":\""
        + issued.text("hash") + "\",\"expires\":\"" + issued.text("expires") + "\",\"verificationCode\":\"" + code
        + "\"}";
  }
}
