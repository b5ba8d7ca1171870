package io.meshyauth.client;

import static io.meshyauth.client.TestServer.ACCOUNT;
import static io.meshyauth.client.TestServer.PASSWORD;
import static io.meshyauth.client.TestServer.PUBLIC_KEY;
import static io.meshyauth.client.TestServer.USERNAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A resource server asks whether a token is active (RFC 7662), as a service, against a real server. */
class IntrospectionTest {
  private static final String SERVICE = "reports-service";
  private static final String SECRET = "reports-service-secret";

  private TestServer server;
  private ServiceConnection service;
  private final RecordingInterceptor recorder = new RecordingInterceptor();

  @BeforeEach
  void startServer() {
    server = TestServer.start();
    server.serviceClient(SERVICE, SECRET);
    service = server.client(ACCOUNT, SERVICE).okHttpClient(recorder.httpClient()).build()
        .loginWithClientCredentials(SECRET);
    recorder.clear();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void aUsersLiveAccessTokenIsActiveWithItsUserClientScopeAndTimes() {
    var alice = server.client().build().loginWithPassword(USERNAME, PASSWORD);

    var introspection = service.introspect(alice.accessToken());

    assertThat(introspection.active()).isTrue();
    assertThat(introspection.tokenType()).contains("Bearer");
    assertThat(introspection.username()).contains(USERNAME);
    assertThat(introspection.subject()).contains(alice.currentUser().id());
    assertThat(introspection.clientId()).contains(PUBLIC_KEY);
    assertThat(introspection.scope()).hasValueSatisfying(
        scope -> assertThat(scope.split(" ")).containsExactlyInAnyOrder("meshy.api", "offline_access"));
    // the client dates its expiry from when the answer arrived, the server from when it minted the token
    assertThat(introspection.expiresAt()).hasValueSatisfying(exp -> assertThat(exp)
        .isCloseTo(alice.accessTokenExpiresAt(), within(2, ChronoUnit.SECONDS)));
    assertThat(introspection.issuedAt()).hasValueSatisfying(iat -> assertThat(iat).isBefore(Instant.now()
        .plusSeconds(1)));
    assertThat(introspection.audience()).contains("meshy.api");
    assertThat(introspection.issuer()).contains(server.baseUrl() + "/" + ACCOUNT);
    assertThat(introspection.jwtId()).hasValueSatisfying(jti -> assertThat(jti).isNotBlank());
  }

  @Test
  void introspectionSendsTheTokenAndTheServicesBasicCredentialsNotItsAccessToken() {
    service.introspect("some-token");

    assertThat(recorder.exchanges()).singleElement().satisfies(e -> {
      assertThat(e.path()).isEqualTo("/" + ACCOUNT + "/connect/introspect");
      assertThat(e.form()).isEqualTo(Map.of("token", "some-token"));
      assertThat(e.authorization()).hasValueSatisfying(header -> assertThat(header).startsWith("Basic "));
    });
  }

  @Test
  void theServicesOwnTokenIsActiveWithTheClientAsSubjectAndNoUser() {
    var introspection = service.introspect(service.accessToken());

    assertThat(introspection.active()).isTrue();
    assertThat(introspection.subject()).contains(SERVICE);
    assertThat(introspection.clientId()).contains(SERVICE);
    assertThat(introspection.username()).isEmpty();
    assertThat(introspection.tokenType()).contains("Bearer");
    assertThat(introspection.scope()).contains("meshy.api");
  }

  @Test
  void aLiveRefreshTokenIsActiveAsARefreshToken() {
    var alice = server.client().build().loginWithPassword(USERNAME, PASSWORD);

    var introspection = service.introspect(alice.refreshToken().orElseThrow());

    assertThat(introspection.active()).isTrue();
    assertThat(introspection.tokenType()).contains("refresh_token");
    assertThat(introspection.username()).contains(USERNAME);
    assertThat(introspection.clientId()).contains(PUBLIC_KEY);
  }

  @Test
  void aSignedOutLoginsTokensAreInactiveAndSayNothingMore() {
    var alice = server.client().build().loginWithPassword(USERNAME, PASSWORD);
    var accessToken = alice.accessToken();
    var refreshToken = alice.refreshToken().orElseThrow();

    alice.signOut();

    assertThat(service.introspect(refreshToken)).isEqualTo(Introspection.inactive());
    // the JWT's signature still verifies: introspection is how a resource server learns of the sign-out
    assertThat(service.introspect(accessToken)).isEqualTo(Introspection.inactive());
  }

  @Test
  void aRotatedAwayRefreshTokenIsInactive() {
    var alice = server.client().build().loginWithPassword(USERNAME, PASSWORD);
    var first = alice.refreshToken().orElseThrow();

    alice.refresh();

    assertThat(service.introspect(first).active()).isFalse();
    assertThat(service.introspect(alice.refreshToken().orElseThrow()).active()).isTrue();
  }

  @Test
  void garbageIsInactive() {
    assertThat(service.introspect("not-a-token-this-server-made")).isEqualTo(Introspection.inactive());
    assertThat(service.introspect("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl"))
        .isEqualTo(Introspection.inactive());
  }

  @Test
  void introspectionWithTheSecretInTheFormWorksTheSame() {
    var posting = server.client(ACCOUNT, SERVICE).clientAuthentication(ClientAuthentication.CLIENT_SECRET_POST)
        .okHttpClient(recorder.httpClient()).build().loginWithClientCredentials(SECRET);
    recorder.clear();

    var introspection = posting.introspect(posting.accessToken());

    assertThat(introspection.active()).isTrue();
    assertThat(recorder.exchanges()).singleElement().satisfies(e -> {
      assertThat(e.form()).containsEntry("client_id", SERVICE).containsEntry("client_secret", SECRET);
      assertThat(e.authorization()).isEmpty();
    });
  }
}
