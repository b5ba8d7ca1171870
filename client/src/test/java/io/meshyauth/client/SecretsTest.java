package io.meshyauth.client;

import static io.meshyauth.client.TestServer.PASSWORD;
import static io.meshyauth.client.TestServer.USERNAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SecretsTest {
  private TestServer server;

  @BeforeEach
  void startServer() {
    server = TestServer.start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void toStringOfClientAndConnectionShowsNoTokens() {
    var client = server.client().build();
    var connection = client.loginWithPassword(USERNAME, PASSWORD);
    var accessToken = connection.accessToken();
    var refreshToken = connection.refreshToken().orElseThrow();

    assertThat(connection.toString()).contains("acme").doesNotContain(accessToken, refreshToken);
    assertThat(client.toString()).contains("acme");
    connection.signOut();
    assertThat(connection.toString()).doesNotContain(accessToken, refreshToken);
  }

  @Test
  void refusedLoginDoesNotPutThePasswordInTheException() {
    var wrongPassword = "hunter2-wrong";

    var e = catchThrowable(() -> server.client().build().loginWithPassword(USERNAME, wrongPassword));

    assertThat(e).isInstanceOf(OAuthErrorException.class);
    assertThat(stackTrace(e)).doesNotContain(wrongPassword);
  }

  @Test
  void unreachableServerDoesNotPutThePasswordInTheException() throws IOException {
    var client = MeshyClient.builder("acme", "acme-public-key")
        .baseUrl("http://127.0.0.1:" + LoginTest.unusedPort()).build();

    var e = catchThrowable(() -> client.loginWithPassword(USERNAME, PASSWORD));

    assertThat(e).isInstanceOf(MeshyAuthException.class);
    assertThat(stackTrace(e)).doesNotContain(PASSWORD);
  }

  /** Message, toString and every cause, as a log would print them. */
  private static String stackTrace(Throwable e) {
    var out = new StringWriter();
    e.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
