package io.meshyauth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.meshyauth.server.courier.CourierSettings;
import io.meshyauth.server.courier.CourierSettings.Webhook;
import io.meshyauth.server.courier.WebhookChannel;
import io.meshyauth.server.store.SignUpPolicy.Verification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sign-up and recovery through the SDK against a real server, the codes delivered by the courier's signed webhook
 * to a real receiver, as a deployment's own message service would get them.
 */
class SignUpTest {
  private static final String SECRET = "a-webhook-secret-of-32-characters!";
  private final Receiver receiver = new Receiver();
  private final TestServer server = TestServer.start(config -> config.withCourier(
      CourierSettings.defaults().withWebhook(new Webhook(receiver.url(), SECRET))));

  @AfterEach
  void stop() {
    server.close();
    receiver.close();
  }

  private MeshyClient account(String name, Verification verification) {
    server.signUpAccount(name, name + "-key", verification);
    return server.client(name, name + "-key").build();
  }

  @Test
  void registerInQuestionModeAnswersNoHashAndTheUserLogsInAtOnce() {
    var client = account("quiz", Verification.QUESTION);

    var hash = client.registerUser(NewUser.builder("dave", "dave-password").firstName("Dave")
        .securityQuestion("First pet?", "Rex").build());
    var connection = client.loginWithPassword("dave", "dave-password");

    assertThat(hash).isEmpty();
    assertThat(connection.currentUser().username()).isEqualTo("dave");
    assertThat(connection.getSelf().firstName()).contains("Dave");
    assertThat(connection.getSelf().securityQuestions()).containsExactly("First pet?");
  }

  @Test
  void registerInEmailModeSendsACodeThatVerifiesTheUserWhoThenLogsIn() throws Exception {
    var client = account("mail", Verification.EMAIL);

    var hash = client.registerUser(NewUser.builder("bob", "bob-password").emailAddress("bob@example.com").build())
        .orElseThrow();
    var beforeVerifying = catchThrowableOfType(OAuthErrorException.class,
        () -> client.loginWithPassword("bob", "bob-password"));
    var code = receiver.await(1).get(0).get("code").asText();
    client.verify(hash, code);

    assertThat(hash.username()).isEqualTo("bob");
    assertThat(hash.attempt()).isEqualTo(1);
    assertThat(hash.expires()).isAfter(Instant.now());
    assertThat(hash.hint()).isPresent();
    assertThat(beforeVerifying.description()).isEqualTo("User is not verified.");
    assertThat(client.loginWithPassword("bob", "bob-password").getSelf().verified()).isTrue();
  }

  @Test
  void checkHashTellsARightCodeFromAWrongOneAndVerifyRefusesAWrongOneWithMeshyDbsMessage() throws Exception {
    var client = account("mail", Verification.EMAIL);
    var hash = client.registerUser(NewUser.builder("erin", "erin-password").emailAddress("erin@example.com")
        .build()).orElseThrow();
    var code = receiver.await(1).get(0).get("code").asText();
    var wrongCode = code.equals("000000") ? "000001" : "000000";

    assertThat(client.checkHash(hash, code)).isTrue();
    assertThat(client.checkHash(hash, wrongCode)).isFalse();
    var refused = catchThrowableOfType(OAuthErrorException.class, () -> client.verify(hash, wrongCode));
    assertThat(refused.error()).isEqualTo("invalid_request");
    assertThat(refused.meshyMessage()).contains("Request hash is invalid.");
  }

  @Test
  void forgotPasswordThenResetPasswordByCodeChangesThePassword() throws Exception {
    var client = account("mail", Verification.EMAIL);
    var registered = client.registerUser(NewUser.builder("carol", "first-password")
        .emailAddress("carol@example.com").build()).orElseThrow();
    client.verify(registered, receiver.await(1).get(0).get("code").asText());

    var reset = client.forgotPassword("carol");
    var code = receiver.await(2).get(1).get("code").asText();
    client.resetPassword(reset, code, "second-password");

    assertThat(reset.attempt()).isEqualTo(1);
    assertThat(client.loginWithPassword("carol", "second-password").accessToken()).isNotBlank();
    var old = catchThrowableOfType(OAuthErrorException.class,
        () -> client.loginWithPassword("carol", "first-password"));
    assertThat(old.error()).isEqualTo("invalid_grant");
    var replayed = catchThrowableOfType(OAuthErrorException.class,
        () -> client.resetPassword(reset, code, "third-password"));
    assertThat(replayed.meshyMessage()).contains("Request hash is invalid.");
  }

  @Test
  void forgotPasswordInQuestionModeAsksTheQuestionTheAttemptPicksAndTheAnswerResets() {
    var client = account("quiz", Verification.QUESTION);
    client.registerUser(NewUser.builder("dave", "dave-password").securityQuestion("First pet?", "Rex")
        .securityQuestion("Street?", "Elm").build());

    var first = client.forgotPassword("dave");
    var second = client.forgotPassword("dave", 2);

    assertThat(first.hint()).contains("First pet?");
    assertThat(second.hint()).contains("Street?");
    assertThat(client.checkHash(second, "Oak")).isFalse();
    assertThat(client.checkHash(second, "elm")).isTrue();
    client.resetPassword(second, "Elm", "dave-new-password");
    assertThat(client.loginWithPassword("dave", "dave-new-password").accessToken()).isNotBlank();
  }

  @Test
  void forgotPasswordOfAnUnknownUserIsNotFoundWithMeshyDbsMessage() {
    var client = account("quiz", Verification.QUESTION);

    var e = catchThrowableOfType(NotFoundException.class, () -> client.forgotPassword("nobody"));

    assertThat(e.status()).isEqualTo(404);
    assertThat(e.meshyMessage()).contains("User was not found.");
  }

  @Test
  void checkUserExistTellsATakenUsernameFromAFreeOne() {
    var client = account("quiz", Verification.QUESTION);
    client.registerUser(NewUser.builder("frank", "frank-password").securityQuestion("Pet?", "Tom").build());

    assertThat(client.checkUserExist("frank")).isTrue();
    assertThat(client.checkUserExist("FRANK")).isTrue();
    assertThat(client.checkUserExist("nobody")).isFalse();
  }

  @Test
  void registrationIsRefusedWithMeshyDbsMessage() {
    var closed = server.client().build();
    var open = account("quiz", Verification.QUESTION);
    open.registerUser(NewUser.builder("gina", "gina-password").securityQuestion("Pet?", "Tom").build());

    var disabled = catchThrowableOfType(OAuthErrorException.class,
        () -> closed.registerUser(NewUser.builder("gina", "gina-password").build()));
    var taken = catchThrowableOfType(OAuthErrorException.class,
        () -> open.registerUser(NewUser.builder("GINA", "gina-password").securityQuestion("Pet?", "Tom").build()));
    var tooShort = catchThrowableOfType(OAuthErrorException.class,
        () -> open.registerUser(NewUser.builder("hal", "short").securityQuestion("Pet?", "Tom").build()));

    assertThat(disabled.meshyMessage()).contains("Public registration is not enabled.");
    assertThat(taken.meshyMessage()).contains("Username must be unique.");
    assertThat(tooShort.meshyMessage()).contains("Password must be at least 8 characters.");
    assertThat(tooShort.status()).isEqualTo(400);
  }

  @Test
  void updateSelfChangesNamesAndContactsAndAnswersTheUserAsItNowIs() {
    var client = account("quiz", Verification.QUESTION);
    client.registerUser(NewUser.builder("ivy", "ivy-password").firstName("Ivy").securityQuestion("Pet?", "Tom")
        .build());
    var connection = client.loginWithPassword("ivy", "ivy-password");

    var updated = connection.updateSelf(connection.getSelf().withLastName("Lee")
        .withEmailAddress("ivy@example.com").withPhoneNumber("+15555555555"));

    assertThat(updated.username()).isEqualTo("ivy");
    assertThat(updated.firstName()).contains("Ivy");
    assertThat(updated.lastName()).contains("Lee");
    assertThat(updated.emailAddress()).contains("ivy@example.com");
    assertThat(updated.phoneNumber()).contains("+15555555555");
    assertThat(connection.getSelf()).isEqualTo(updated);
    var badPhone = catchThrowableOfType(OAuthErrorException.class,
        () -> connection.updateSelf(updated.withPhoneNumber("555-1234")));
    assertThat(badPhone.meshyMessage()).contains("Phone number must be in an international format.");
  }

  @Test
  void updateSecurityQuestionsReplacesTheQuestionsThatForgotPasswordAsks() {
    var client = account("quiz", Verification.QUESTION);
    client.registerUser(NewUser.builder("jack", "jack-password").securityQuestion("Pet?", "Tom").build());
    var connection = client.loginWithPassword("jack", "jack-password");

    connection.updateSecurityQuestions(List.of(new SecurityQuestion("Street?", "Elm")));

    assertThat(connection.getSelf().securityQuestions()).containsExactly("Street?");
    var reset = client.forgotPassword("jack");
    assertThat(reset.hint()).contains("Street?");
    assertThat(client.checkHash(reset, "Tom")).isFalse();
    assertThat(client.checkHash(reset, "Elm")).isTrue();
  }

  @Test
  void updateSecurityQuestionsWhereTheAccountDoesNotAskQuestionsIsRefusedWithMeshyDbsMessage() {
    var connection = server.client().build().loginWithPassword(TestServer.USERNAME, TestServer.PASSWORD);

    var e = catchThrowableOfType(OAuthErrorException.class,
        () -> connection.updateSecurityQuestions(List.of(new SecurityQuestion("Pet?", "Tom"))));

    assertThat(e.meshyMessage())
        .contains("Unable to update security questions if question verification is not configured.");
  }

  /** The courier's webhook: a real HTTP receiver that keeps each body whose signature checks out. */
  private static final class Receiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer http;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();

    Receiver() {
      try {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      http.createContext("/codes", exchange -> {
        try (exchange) {
          var body = exchange.getRequestBody().readAllBytes();
          var signature = exchange.getRequestHeaders().getFirst(WebhookChannel.SIGNATURE_HEADER);
          if (!WebhookChannel.verify(SECRET, signature, body, Instant.now(), Duration.ofMinutes(5))) {
            exchange.sendResponseHeaders(401, -1);
            return;
          }
          received.add(JSON.readTree(body));
          exchange.sendResponseHeaders(200, -1);
        }
      });
      http.start();
    }

    URI url() {
      return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/codes");
    }

    /** The first {@code count} messages, waiting up to a minute for them (the courier delivers at once). */
    List<JsonNode> await(int count) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
      while (received.size() < count && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(received).as("messages the webhook received").hasSizeGreaterThanOrEqualTo(count);
      return List.copyOf(received);
    }

    @Override
    public void close() {
      http.stop(0);
    }
  }
}
