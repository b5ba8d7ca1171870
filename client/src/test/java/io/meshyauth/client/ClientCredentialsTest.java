package io.meshyauth.client;

import static io.meshyauth.client.TestServer.ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A service logs in with its own credentials (RFC 6749 section 4.4), against a real server. */
class ClientCredentialsTest {
  private static final String SERVICE = "reports-service";
  private static final String SECRET = "reports-service-secret";

  private TestServer server;
  private final RecordingInterceptor recorder = new RecordingInterceptor();

  @BeforeEach
  void startServer() {
    server = TestServer.start();
    server.serviceClient(SERVICE, SECRET);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private MeshyClient.Builder service() {
    return server.client(ACCOUNT, SERVICE).okHttpClient(recorder.httpClient());
  }

  @Test
  void loginWithClientCredentialsSendsTheSecretInTheBasicSchemeAndGetsTheServicesToken() {
    var clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

    var connection = service().clock(clock).build().loginWithClientCredentials(SECRET);

    assertThat(connection.accessToken()).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
    assertThat(connection.scope()).isEqualTo("meshy.api");
    assertThat(connection.accessTokenExpiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
    assertThat(recorder.exchanges()).singleElement().satisfies(e -> {
      assertThat(e.path()).isEqualTo("/" + ACCOUNT + "/connect/token");
      assertThat(e.form()).isEqualTo(Map.of("grant_type", "client_credentials"));
      assertThat(e.authorization()).contains(basic(SERVICE, SECRET));
    });
  }

  @Test
  void theServicesTokenHasTheClientAsSubjectAndNoUsersClaims() throws IOException {
    var token = service().build().loginWithClientCredentials(SECRET).accessToken();

    var claims = claims(token);
    assertThat(claims.path("sub").asText()).isEqualTo(SERVICE);
    assertThat(claims.has("id")).isFalse();
    assertThat(claims.has("role")).isFalse();
    assertThat(claims.has("permission")).isFalse();
  }

  @Test
  void clientSecretPostSendsIdAndSecretInTheFormAndNoAuthorizationHeader() {
    var connection = service().clientAuthentication(ClientAuthentication.CLIENT_SECRET_POST).build()
        .loginWithClientCredentials(SECRET);

    assertThat(connection.accessToken()).isNotBlank();
    assertThat(recorder.exchanges()).singleElement().satisfies(e -> {
      assertThat(e.form()).isEqualTo(Map.of("grant_type", "client_credentials", "client_id", SERVICE,
          "client_secret", SECRET));
      assertThat(e.authorization()).isEmpty();
    });
  }

  @Test
  void askingForAScopeSendsIt() {
    var connection = service().build().loginWithClientCredentials(SECRET, "meshy.api");

    assertThat(connection.scope()).isEqualTo("meshy.api");
    assertThat(recorder.exchanges()).singleElement()
        .satisfies(e -> assertThat(e.form()).containsEntry("scope", "meshy.api"));
  }

  /** RFC 6749 section 2.3.1: id and secret are form-urlencoded before they are joined, so a colon is no separator. */
  @Test
  void aSecretWithAColonAndOtherReservedCharactersIsEncodedAsTheRfcSays() {
    var awkward = "se:cr/et+ é&=";
    server.serviceClient("awkward-service", awkward);

    var connection = server.client(ACCOUNT, "awkward-service").okHttpClient(recorder.httpClient()).build()
        .loginWithClientCredentials(awkward);

    assertThat(connection.accessToken()).isNotBlank();
    assertThat(recorder.exchanges()).singleElement().satisfies(e -> assertThat(e.authorization())
        .contains(basic("awkward-service", awkward)));
  }

  @Test
  void wrongSecretThrowsInvalidClientWithStatus401() {
    var client = service().build();

    var e = catchThrowableOfType(OAuthErrorException.class, () -> client.loginWithClientCredentials("wrong"));

    assertThat(e.status()).isEqualTo(401);
    assertThat(e.error()).isEqualTo("invalid_client");
    assertThat(e.description()).isEqualTo("Client authentication failed.");
  }

  @Test
  void wrongSecretSentInTheFormThrowsInvalidClientToo() {
    var client = service().clientAuthentication(ClientAuthentication.CLIENT_SECRET_POST).build();

    var e = catchThrowableOfType(OAuthErrorException.class, () -> client.loginWithClientCredentials("wrong"));

    assertThat(e.status()).isEqualTo(401);
    assertThat(e.error()).isEqualTo("invalid_client");
  }

  @Test
  void aPublicClientCannotLogInWithClientCredentials() {
    var client = server.client().build();

    var e = catchThrowableOfType(OAuthErrorException.class, () -> client.loginWithClientCredentials("anything"));

    assertThat(e.status()).isEqualTo(401);
    assertThat(e.error()).isEqualTo("invalid_client");
  }

  @Test
  void accessTokenAsksForANewOneWithTheSameCredentialsWhenItIsAboutToExpire() {
    var clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    var connection = service().clock(clock).refreshSkew(Duration.ofMinutes(1)).build()
        .loginWithClientCredentials(SECRET);
    var first = connection.accessTokenExpiresAt();

    clock.set(first.minus(Duration.ofSeconds(30)));
    connection.accessToken();

    assertThat(connection.accessTokenExpiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
    assertThat(recorder.withGrantType("client_credentials")).hasSize(2)
        .allSatisfy(e -> assertThat(e.authorization()).contains(basic(SERVICE, SECRET)));
  }

  @Test
  void toStringAndExceptionsShowNeitherTheSecretNorTheToken() {
    var connection = service().build().loginWithClientCredentials(SECRET);
    var token = connection.accessToken();
    var refused = catchThrowableOfType(OAuthErrorException.class,
        () -> service().build().loginWithClientCredentials("wrong-" + SECRET));

    assertThat(connection.toString()).contains(ACCOUNT).doesNotContain(SECRET, token);
    assertThat(refused.getMessage()).doesNotContain(SECRET);
    assertThat(refused.getCause()).isNull();
  }

  private static String basic(String clientId, String secret) {
    var joined = URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
        + URLEncoder.encode(secret, StandardCharsets.UTF_8);
    return "Basic " + Base64.getEncoder().encodeToString(joined.getBytes(StandardCharsets.UTF_8));
  }

  /** The access token's claims, read without verifying: the tests' own token from the server. */
  private static JsonNode claims(String accessToken) throws IOException {
    return new ObjectMapper().readTree(Base64.getUrlDecoder().decode(accessToken.split("\\.")[1]));
  }
}
