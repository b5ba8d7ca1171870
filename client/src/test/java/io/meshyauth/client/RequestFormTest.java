package io.meshyauth.client;

import static io.meshyauth.client.TestServer.ACCOUNT;
import static io.meshyauth.client.TestServer.PASSWORD;
import static io.meshyauth.client.TestServer.PUBLIC_KEY;
import static io.meshyauth.client.TestServer.USERNAME;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Exactly the fields MeshyDB's SDKs send and no others: Pact matches form bodies strictly. */
class RequestFormTest {
  private TestServer server;
  private final RecordingInterceptor recorder = new RecordingInterceptor();
  private MeshyClient client;

  @BeforeEach
  void startServer() {
    server = TestServer.start();
    client = server.client().okHttpClient(recorder.httpClient()).build();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void passwordLoginSendsClientIdGrantTypeUsernamePasswordAndMeshyScope() {
    client.loginWithPassword(USERNAME, PASSWORD);

    assertThat(recorder.exchanges()).singleElement().satisfies(e -> {
      assertThat(e.path()).isEqualTo("/" + ACCOUNT + "/connect/token");
      assertThat(e.form()).isEqualTo(Map.of("client_id", PUBLIC_KEY, "grant_type", "password",
          "username", USERNAME, "password", PASSWORD, "scope", "meshy.api offline_access"));
    });
  }

  @Test
  void refreshSendsOnlyClientIdGrantTypeAndRefreshToken() {
    var connection = client.loginWithPassword(USERNAME, PASSWORD);
    var refreshToken = connection.refreshToken().orElseThrow();
    recorder.clear();

    connection.refresh();

    assertThat(recorder.exchanges()).singleElement().satisfies(e -> {
      assertThat(e.path()).isEqualTo("/" + ACCOUNT + "/connect/token");
      assertThat(e.form()).isEqualTo(Map.of("client_id", PUBLIC_KEY, "grant_type", "refresh_token",
          "refresh_token", refreshToken));
    });
  }

  @Test
  void signOutSendsTokenTokenTypeHintAndClientId() {
    var connection = client.loginWithPassword(USERNAME, PASSWORD);
    var refreshToken = connection.refreshToken().orElseThrow();
    recorder.clear();

    connection.signOut();

    assertThat(recorder.exchanges()).singleElement().satisfies(e -> {
      assertThat(e.path()).isEqualTo("/" + ACCOUNT + "/connect/revocation");
      assertThat(e.status()).isEqualTo(200);
      assertThat(e.form()).isEqualTo(Map.of("token", refreshToken, "token_type_hint", "refresh_token",
          "client_id", PUBLIC_KEY));
    });
  }
}
