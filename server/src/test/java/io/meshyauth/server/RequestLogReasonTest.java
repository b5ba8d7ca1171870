package io.meshyauth.server;

import static io.meshyauth.server.TestServer.TOKEN_PATH;
import static io.meshyauth.server.TestServer.passwordForm;
import static io.meshyauth.server.TestServer.refreshForm;
import static io.meshyauth.server.TestServer.with;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.meshyauth.server.errors.ApiError;
import io.meshyauth.server.testing.CapturedLog;
import java.time.Duration;
import java.util.Objects;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A refused request's log line says why (ApiError's detail) where the client's answer says only the RFC code:
 * a replayed refresh token and a mistyped one both answer "Refresh token is invalid." but log apart.
 */
class RequestLogReasonTest {
  private CapturedLog captured;
  private TestServer server;

  @BeforeEach
  void start() {
    captured = CapturedLog.of(Level.INFO, "io.meshyauth.request");
    server = TestServer.start(StoreKind.SQLITE, config -> config.withRefreshGraceWindow(Duration.ZERO));
  }

  @AfterEach
  void stop() {
    server.close();
    captured.close();
  }

  @Test
  void eachRefusalLogsItsReasonAndTheClientSeesOnlyTheCode() {
    var login = server.login();
    server.http.postForm(TOKEN_PATH, refreshForm(login.text("refresh_token")));
    var replay = server.http.postForm(TOKEN_PATH, refreshForm(login.text("refresh_token")));
    var mistyped = server.http.postForm(TOKEN_PATH, refreshForm("not-a-token-we-issued"));
    var wrongPassword = server.http.postForm(TOKEN_PATH, with(passwordForm(), "password", "not-the-password"));
    var unknownUser = server.http.postForm(TOKEN_PATH, with(passwordForm(), "username", "nobody-of-that-name"));
    var unknownClient = server.http.postForm(TOKEN_PATH, with(passwordForm(), "client_id", "no-such-client"));
    server.close();

    assertThat(replay.json().get("error_description").asText())
        .isEqualTo(mistyped.json().get("error_description").asText()).isEqualTo("Refresh token is invalid.");
    assertThat(wrongPassword.json().get("error_description").asText())
        .isEqualTo(unknownUser.json().get("error_description").asText());
    assertThat(unknownClient.json().get("error").asText()).isEqualTo("invalid_client");
    for (var answer : java.util.List.of(replay, mistyped, wrongPassword, unknownUser, unknownClient)) {
      assertThat(answer.json().toString()).doesNotContain("replayed", "no such", "unknown", "wrong password");
    }
    assertThat(refusals()).containsExactly(
        "invalid_grant: rotated refresh token replayed after the grace window: family revoked",
        "invalid_grant: no such refresh token",
        "invalid_grant: wrong password",
        "invalid_grant: unknown username",
        "invalid_client: the account has no such client");
  }

  /** outcome: reason of every refused request's line, in order. */
  private java.util.List<String> refusals() {
    return captured.events().stream()
        .map(event -> event.getKeyValuePairs().stream()
            .collect(Collectors.toMap(pair -> pair.key, pair -> String.valueOf(pair.value))))
        .filter(fields -> !Objects.equals(fields.get("outcome"), "ok"))
        .map(fields -> fields.get("outcome") + ": " + fields.getOrDefault("reason", "(none)"))
        .toList();
  }
}
