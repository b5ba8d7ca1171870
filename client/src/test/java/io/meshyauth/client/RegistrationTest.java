package io.meshyauth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RegistrationTest {
  private final TestServer server = TestServer.start();

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void registeredAnonymousUserLogsInAnonymously() {
    server.provisioning().createAccount("open", "open-key", true);
    var client = server.client("open", "open-key").build();

    var user = client.registerAnonymousUser("device-9");
    var connection = client.loginAnonymously("device-9");

    assertThat(user.username()).isEqualTo("device-9");
    assertThat(user.id()).isNotBlank();
    assertThat(connection.accessToken()).isNotBlank();
  }

  @Test
  void registrationWithoutANameUsesARandomOne() {
    server.provisioning().createAccount("open", "open-key", true);
    var client = server.client("open", "open-key").build();

    var first = client.registerAnonymousUser();
    var second = client.registerAnonymousUser();

    assertThat(first.username()).isNotEqualTo(second.username());
  }

  @Test
  void registrationOnAnAccountThatDoesNotAllowItThrowsInvalidRequest() {
    var e = catchThrowableOfType(OAuthErrorException.class,
        () -> server.client().build().registerAnonymousUser("device-9"));

    assertThat(e.error()).isEqualTo("invalid_request");
    assertThat(e.description()).isEqualTo("Anonymous registration is not enabled.");
  }
}
