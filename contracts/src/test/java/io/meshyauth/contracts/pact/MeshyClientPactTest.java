package io.meshyauth.contracts.pact;

import static io.meshyauth.contracts.ProviderFixtures.ACCOUNT;
import static io.meshyauth.contracts.ProviderFixtures.ANONYMOUS_USERNAME;
import static io.meshyauth.contracts.ProviderFixtures.CLIENT_ID;
import static io.meshyauth.contracts.ProviderFixtures.EXPIRED_REFRESH_TOKEN;
import static io.meshyauth.contracts.ProviderFixtures.INACTIVE_PASSWORD;
import static io.meshyauth.contracts.ProviderFixtures.INACTIVE_USERNAME;
import static io.meshyauth.contracts.ProviderFixtures.LIMITED_ACCOUNT;
import static io.meshyauth.contracts.ProviderFixtures.LIMITED_CLIENT_ID;
import static io.meshyauth.contracts.ProviderFixtures.LOGIN_REFRESH_TOKEN;
import static io.meshyauth.contracts.ProviderFixtures.NARROW_ACCOUNT;
import static io.meshyauth.contracts.ProviderFixtures.NARROW_CLIENT_ID;
import static io.meshyauth.contracts.ProviderFixtures.PASSWORD;
import static io.meshyauth.contracts.ProviderFixtures.REFRESH_TOKEN;
import static io.meshyauth.contracts.ProviderFixtures.USERNAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import au.com.dius.pact.consumer.MockServer;
import au.com.dius.pact.consumer.dsl.PactDslJsonBody;
import au.com.dius.pact.consumer.dsl.PactDslRequestWithPath;
import au.com.dius.pact.consumer.dsl.PactDslRequestWithoutPath;
import au.com.dius.pact.consumer.dsl.PactDslResponse;
import au.com.dius.pact.consumer.dsl.PactDslWithProvider;
import au.com.dius.pact.consumer.junit5.PactConsumerTestExt;
import au.com.dius.pact.consumer.junit5.PactTestFor;
import au.com.dius.pact.core.model.PactSpecVersion;
import au.com.dius.pact.core.model.V4Pact;
import au.com.dius.pact.core.model.annotations.Pact;
import io.meshyauth.client.MeshyClient;
import io.meshyauth.client.OAuthErrorException;
import io.meshyauth.client.RateLimitedException;
import io.meshyauth.client.RetryPolicy;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The SDK's side of the pact: each test drives {@link MeshyClient} (and through it the generated Feign client)
 * against Pact's mock server, asserts what the SDK returns or throws, and leaves the interactions in
 * target/pacts for {@code MeshyServerPactIT} to replay against the real server.
 */
@ExtendWith(PactConsumerTestExt.class)
@PactTestFor(providerName = ProviderStates.PROVIDER, pactVersion = PactSpecVersion.V4)
class MeshyClientPactTest {
  private static final String FORM = "application/x-www-form-urlencoded";
  private static final String SDK_SCOPE = "meshy.api offline_access";
  // shapes, not values: the provider mints its own tokens
  private static final String JWT = "[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+";
  private static final String URL_SAFE_TOKEN = "[A-Za-z0-9_-]+";
  private static final String EXAMPLE_ACCESS_TOKEN =
      "eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";
  private static final String EXAMPLE_ROTATED_REFRESH_TOKEN = "3q2-7wX8b7cYl1d4Zr0Kx0m1cQ9oQbV8n4s5wTt8aK0";

  // --- password grant ---

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact passwordLogin(PactDslWithProvider builder) {
    return passwordLoginSucceeds(builder).toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "passwordLogin")
  void loginWithPasswordReturnsConnectionHoldingTheIssuedTokens(MockServer mockServer) {
    var before = Instant.now();

    var connection = client(mockServer, ACCOUNT, CLIENT_ID).loginWithPassword(USERNAME, PASSWORD);

    assertThat(connection.accessToken()).isEqualTo(EXAMPLE_ACCESS_TOKEN);
    assertThat(connection.refreshToken()).contains(LOGIN_REFRESH_TOKEN);
    assertThat(connection.scope()).isEqualTo(SDK_SCOPE);
    assertThat(connection.accessTokenExpiresAt()).isAfterOrEqualTo(before.plusSeconds(3600));
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact wrongPassword(PactDslWithProvider builder) {
    return oauthError(passwordGrant(builder.given(ProviderStates.ACTIVE_USER)
            .uponReceiving("a password login with a wrong password"), ACCOUNT, CLIENT_ID, USERNAME, "not-the-password"),
        "invalid_grant", "Username or password is invalid.")
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "wrongPassword")
  void loginWithWrongPasswordThrowsInvalidGrant(MockServer mockServer) {
    var client = client(mockServer, ACCOUNT, CLIENT_ID);

    assertThatThrownBy(() -> client.loginWithPassword(USERNAME, "not-the-password"))
        .isInstanceOfSatisfying(OAuthErrorException.class,
            e -> assertOAuthError(e, "invalid_grant", "Username or password is invalid."));
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact unknownClient(PactDslWithProvider builder) {
    return oauthError(passwordGrant(builder.given(ProviderStates.ACTIVE_USER)
            .uponReceiving("a password login with a client id the account does not know"),
            ACCOUNT, "unknown-public-key", USERNAME, PASSWORD),
        "invalid_client", "Client id is invalid.")
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "unknownClient")
  void loginWithUnknownClientThrowsInvalidClient(MockServer mockServer) {
    var client = client(mockServer, ACCOUNT, "unknown-public-key");

    assertThatThrownBy(() -> client.loginWithPassword(USERNAME, PASSWORD))
        .isInstanceOfSatisfying(OAuthErrorException.class,
            e -> assertOAuthError(e, "invalid_client", "Client id is invalid."));
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact inactiveUser(PactDslWithProvider builder) {
    return oauthError(passwordGrant(builder.given(ProviderStates.INACTIVE_USER)
            .uponReceiving("a password login of a user who is no longer active"),
            ACCOUNT, CLIENT_ID, INACTIVE_USERNAME, INACTIVE_PASSWORD),
        "invalid_grant", "User is no longer active.")
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "inactiveUser")
  void loginOfInactiveUserThrowsInvalidGrant(MockServer mockServer) {
    var client = client(mockServer, ACCOUNT, CLIENT_ID);

    assertThatThrownBy(() -> client.loginWithPassword(INACTIVE_USERNAME, INACTIVE_PASSWORD))
        .isInstanceOfSatisfying(OAuthErrorException.class,
            e -> assertOAuthError(e, "invalid_grant", "User is no longer active."));
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact scopeNotAllowed(PactDslWithProvider builder) {
    return oauthError(passwordGrant(builder.given(ProviderStates.NARROW_ACCOUNT)
            .uponReceiving("a password login asking for offline_access of an account that does not allow it"),
            NARROW_ACCOUNT, NARROW_CLIENT_ID, USERNAME, PASSWORD),
        "invalid_scope", "Invalid scope.")
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "scopeNotAllowed")
  void loginBeyondTheAccountsScopesThrowsInvalidScope(MockServer mockServer) {
    var client = client(mockServer, NARROW_ACCOUNT, NARROW_CLIENT_ID);

    assertThatThrownBy(() -> client.loginWithPassword(USERNAME, PASSWORD))
        .isInstanceOfSatisfying(OAuthErrorException.class,
            e -> assertOAuthError(e, "invalid_scope", "Invalid scope."));
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact anonymousLogin(PactDslWithProvider builder) {
    return tokens(passwordGrant(builder.given(ProviderStates.ANONYMOUS_USER)
            .uponReceiving("an anonymous login with the static password"),
            ACCOUNT, CLIENT_ID, ANONYMOUS_USERNAME, "nopassword"),
        EXAMPLE_ROTATED_REFRESH_TOKEN)
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "anonymousLogin")
  void loginAnonymouslyReturnsConnection(MockServer mockServer) {
    var connection = client(mockServer, ACCOUNT, CLIENT_ID).loginAnonymously(ANONYMOUS_USERNAME);

    assertThat(connection.accessToken()).isEqualTo(EXAMPLE_ACCESS_TOKEN);
    assertThat(connection.refreshToken()).contains(EXAMPLE_ROTATED_REFRESH_TOKEN);
    assertThat(connection.scope()).isEqualTo(SDK_SCOPE);
  }

  // --- refresh grant ---

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact refresh(PactDslWithProvider builder) {
    return tokens(refreshGrant(builder.given(ProviderStates.LIVE_REFRESH_TOKEN)
            .uponReceiving("a refresh with a live refresh token"), REFRESH_TOKEN),
        EXAMPLE_ROTATED_REFRESH_TOKEN)
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "refresh")
  void loginWithRefreshReturnsConnectionHoldingTheSuccessorToken(MockServer mockServer) {
    var connection = client(mockServer, ACCOUNT, CLIENT_ID).loginWithRefresh(REFRESH_TOKEN);

    assertThat(connection.accessToken()).isEqualTo(EXAMPLE_ACCESS_TOKEN);
    assertThat(connection.refreshToken()).contains(EXAMPLE_ROTATED_REFRESH_TOKEN);
    assertThat(connection.scope()).isEqualTo(SDK_SCOPE);
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact expiredRefreshToken(PactDslWithProvider builder) {
    return oauthError(refreshGrant(builder.given(ProviderStates.EXPIRED_REFRESH_TOKEN)
            .uponReceiving("a refresh with an expired refresh token"), EXPIRED_REFRESH_TOKEN),
        "invalid_grant", "Refresh token is expired.")
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "expiredRefreshToken")
  void loginWithExpiredRefreshTokenThrowsInvalidGrant(MockServer mockServer) {
    var client = client(mockServer, ACCOUNT, CLIENT_ID);

    assertThatThrownBy(() -> client.loginWithRefresh(EXPIRED_REFRESH_TOKEN))
        .isInstanceOfSatisfying(OAuthErrorException.class,
            e -> assertOAuthError(e, "invalid_grant", "Refresh token is expired."));
  }

  // --- revocation ---

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact signOut(PactDslWithProvider builder) {
    var revocation = passwordLoginSucceeds(builder)
        .given(ProviderStates.LOGIN_REFRESH_TOKEN)
        .uponReceiving("a sign-out revoking the refresh token of the login")
        .path("/" + ACCOUNT + "/connect/revocation")
        .method("POST")
        .body(form("token", LOGIN_REFRESH_TOKEN, "token_type_hint", "refresh_token", "client_id", CLIENT_ID), FORM);
    // RFC 7009 section 2.2: 200 and no body
    return revocation.willRespondWith().status(200).toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "signOut")
  void signOutRevokesTheRefreshTokenAndEndsTheConnection(MockServer mockServer) {
    var connection = client(mockServer, ACCOUNT, CLIENT_ID).loginWithPassword(USERNAME, PASSWORD);

    connection.signOut();

    assertThatThrownBy(connection::accessToken).isInstanceOf(IllegalStateException.class);
  }

  // --- rate limit ---

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact rateLimited(PactDslWithProvider builder) {
    return passwordGrant(builder.given(ProviderStates.LIMIT_USED_UP)
            .uponReceiving("a password login after the account used up its requests for this minute"),
            LIMITED_ACCOUNT, LIMITED_CLIENT_ID, USERNAME, PASSWORD)
        .willRespondWith()
        .status(429)
        .matchHeader("Retry-After", "[1-9][0-9]*", "60")
        .matchHeader("Content-Type", "application/json.*", "application/json")
        .body(new PactDslJsonBody()
            .stringValue("error", "too_many_requests")
            .stringType("error_description", "Request limit reached for this account."))
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "rateLimited")
  void loginOverTheAccountLimitThrowsRateLimitedWithRetryAfter(MockServer mockServer) {
    var client = client(mockServer, LIMITED_ACCOUNT, LIMITED_CLIENT_ID);

    assertThatThrownBy(() -> client.loginWithPassword(USERNAME, PASSWORD))
        .isInstanceOfSatisfying(RateLimitedException.class, e -> {
          assertThat(e.status()).isEqualTo(429);
          assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(60));
        });
  }

  // --- building blocks ---

  private static MeshyClient client(MockServer mockServer, String account, String clientId) {
    // no retries: a 429 must reach the test as it reached the SDK
    return MeshyClient.builder(account, clientId).baseUrl(mockServer.getUrl()).retryPolicy(RetryPolicy.none()).build();
  }

  private static PactDslResponse passwordLoginSucceeds(PactDslWithProvider builder) {
    return tokens(passwordGrant(builder.given(ProviderStates.ACTIVE_USER)
            .uponReceiving("a password login of an active user"), ACCOUNT, CLIENT_ID, USERNAME, PASSWORD),
        LOGIN_REFRESH_TOKEN);
  }

  private static PactDslRequestWithPath passwordGrant(PactDslRequestWithoutPath request, String account,
      String clientId, String username, String password) {
    return request.path("/" + account + "/connect/token")
        .method("POST")
        .body(form("client_id", clientId, "grant_type", "password", "username", username, "password", password,
            "scope", SDK_SCOPE), FORM);
  }

  private static PactDslRequestWithPath refreshGrant(PactDslRequestWithoutPath request, String refreshToken) {
    return request.path("/" + ACCOUNT + "/connect/token")
        .method("POST")
        .body(form("client_id", CLIENT_ID, "grant_type", "refresh_token", "refresh_token", refreshToken), FORM);
  }

  /** RFC 6749 section 5.1: a successful token response, never cached. */
  private static PactDslResponse tokens(PactDslRequestWithPath request, String exampleRefreshToken) {
    return request.willRespondWith()
        .status(200)
        .matchHeader("Content-Type", "application/json.*", "application/json")
        .headers(Map.of("Cache-Control", "no-store", "Pragma", "no-cache"))
        .body(new PactDslJsonBody()
            .stringMatcher("access_token", JWT, EXAMPLE_ACCESS_TOKEN)
            .integerType("expires_in", 3600)
            .stringValue("token_type", "Bearer")
            .stringMatcher("refresh_token", URL_SAFE_TOKEN, exampleRefreshToken)
            .stringValue("scope", SDK_SCOPE));
  }

  /** RFC 6749 section 5.2. */
  private static PactDslResponse oauthError(PactDslRequestWithPath request, String error, String description) {
    return request.willRespondWith()
        .status(400)
        .matchHeader("Content-Type", "application/json.*", "application/json")
        .body(new PactDslJsonBody()
            .stringValue("error", error)
            .stringValue("error_description", description));
  }

  private static void assertOAuthError(OAuthErrorException e, String error, String description) {
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.error()).isEqualTo(error);
    assertThat(e.description()).isEqualTo(description);
  }

  private static String form(String... namesAndValues) {
    var pairs = new ArrayList<String>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      pairs.add(namesAndValues[i] + "=" + URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
    }
    return String.join("&", pairs);
  }
}
