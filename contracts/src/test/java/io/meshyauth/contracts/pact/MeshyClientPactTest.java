package io.meshyauth.contracts.pact;

import static io.meshyauth.contracts.OAuthErrors.assertErrorBody;
import static io.meshyauth.contracts.OAuthErrors.assertOAuthError;
import static io.meshyauth.server.fixtures.ContractFixtures.ACCOUNT;
import static io.meshyauth.server.fixtures.ContractFixtures.ANONYMOUS_USERNAME;
import static io.meshyauth.server.fixtures.ContractFixtures.BRUTE_FORCED_PASSWORD;
import static io.meshyauth.server.fixtures.ContractFixtures.BRUTE_FORCED_USERNAME;
import static io.meshyauth.server.fixtures.ContractFixtures.CLIENT_ID;
import static io.meshyauth.server.fixtures.ContractFixtures.EXPIRED_REFRESH_TOKEN;
import static io.meshyauth.server.fixtures.ContractFixtures.INACTIVE_PASSWORD;
import static io.meshyauth.server.fixtures.ContractFixtures.INACTIVE_USERNAME;
import static io.meshyauth.server.fixtures.ContractFixtures.LIMITED_ACCOUNT;
import static io.meshyauth.server.fixtures.ContractFixtures.LIMITED_CLIENT_ID;
import static io.meshyauth.server.fixtures.ContractFixtures.LOGIN_REFRESH_TOKEN;
import static io.meshyauth.server.fixtures.ContractFixtures.NEW_DEVICE;
import static io.meshyauth.server.fixtures.ContractFixtures.NARROW_ACCOUNT;
import static io.meshyauth.server.fixtures.ContractFixtures.NARROW_CLIENT_ID;
import static io.meshyauth.server.fixtures.ContractFixtures.OPEN_ACCOUNT;
import static io.meshyauth.server.fixtures.ContractFixtures.PASSWORD;
import static io.meshyauth.server.fixtures.ContractFixtures.REFRESH_TOKEN;
import static io.meshyauth.server.fixtures.ContractFixtures.REGISTERED_DEVICE;
import static io.meshyauth.server.fixtures.ContractFixtures.ROTATED_REFRESH_TOKEN;
import static io.meshyauth.server.fixtures.ContractFixtures.UNKNOWN_ACCOUNT;
import static io.meshyauth.server.fixtures.ContractFixtures.USERNAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import au.com.dius.pact.consumer.MockServer;
import au.com.dius.pact.consumer.dsl.PactDslJsonBody;
import au.com.dius.pact.consumer.dsl.PactDslJsonRootValue;
import au.com.dius.pact.consumer.dsl.PactDslRequestWithPath;
import au.com.dius.pact.consumer.dsl.PactDslRequestWithoutPath;
import au.com.dius.pact.consumer.dsl.PactDslResponse;
import au.com.dius.pact.consumer.dsl.PactDslWithProvider;
import au.com.dius.pact.consumer.junit5.PactConsumerTestExt;
import au.com.dius.pact.consumer.junit5.PactTestFor;
import au.com.dius.pact.core.model.PactSpecVersion;
import au.com.dius.pact.core.model.V4Pact;
import au.com.dius.pact.core.model.annotations.Pact;
import feign.FeignException;
import io.meshyauth.client.MeshyClient;
import io.meshyauth.client.OAuthErrorException;
import io.meshyauth.client.RateLimitedException;
import io.meshyauth.client.RetryPolicy;
import io.meshyauth.client.generated.api.DiscoveryApi;
import io.meshyauth.client.generated.api.UsersApi;
import io.meshyauth.client.generated.model.AnonymousRegistration;
import io.meshyauth.client.generated.model.NotFoundError;
import io.meshyauth.contracts.GeneratedClients;
import io.meshyauth.server.fixtures.ContractFixtures;
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
 * target/pacts for {@code MeshyServerPactIT} to replay against the real server. Anonymous registration and
 * discovery, which MeshyClient does not offer yet, drive the generated Feign clients directly.
 */
@ExtendWith(PactConsumerTestExt.class)
@PactTestFor(providerName = ProviderStates.PROVIDER, pactVersion = PactSpecVersion.V4)
class MeshyClientPactTest {
  private static final String FORM = "application/x-www-form-urlencoded";
  private static final String JSON = "application/json";
  private static final String SDK_SCOPE = "meshy.api offline_access";
  // shapes, not values: the provider mints its own tokens
  private static final String JWT = "[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+";
  private static final String URL_SAFE_TOKEN = "[A-Za-z0-9_-]+";
  private static final String EXAMPLE_ACCESS_TOKEN =
      "eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";
  private static final String EXAMPLE_ROTATED_REFRESH_TOKEN = "3q2-7wX8b7cYl1d4Zr0Kx0m1cQ9oQbV8n4s5wTt8aK0";
  private static final String EXAMPLE_USER_ID = "0b5a3c1e-8f57-4a47-9d0c-2a2b4f7e9c11";
  private static final String EXAMPLE_ISSUER = "http://localhost:8080/" + ACCOUNT;
  // a coordinate of a P-256 public key: 32 bytes, base64url without padding (RFC 7518 section 6.2.1.2)
  private static final String EC_COORDINATE = "[A-Za-z0-9_-]{43}";
  private static final String EXAMPLE_KID = "4f1c2a9e-6b0d-4c3a-9e5f-7a8b9c0d1e2f";
  private static final String EXAMPLE_X = "Dj9vlt7POVnO1VqOMONRzXJYivNk3MFg6srWxrgiDto";
  private static final String EXAMPLE_Y = "BIoTGjCuLyoKSBmM9FibZUuXq6BEITtTXfvW2XVPvhg";

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
    return oauthError(passwordGrant(builder.given(ContractFixtures.ACTIVE_USER)
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
    return oauthError(passwordGrant(builder.given(ContractFixtures.ACTIVE_USER)
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
    return oauthError(passwordGrant(builder.given(ContractFixtures.INACTIVE_USER)
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
    return oauthError(passwordGrant(builder.given(ContractFixtures.NARROW_ACCOUNT_STATE)
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
    return tokens(passwordGrant(builder.given(ContractFixtures.ANONYMOUS_USER)
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
    return tokens(refreshGrant(builder.given(ContractFixtures.LIVE_REFRESH_TOKEN)
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
    return oauthError(refreshGrant(builder.given(ContractFixtures.EXPIRED_REFRESH_TOKEN_STATE)
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

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact replayedRefreshToken(PactDslWithProvider builder) {
    // an unknown token gets the same answer; the server tells them apart, the SDK cannot and need not
    return oauthError(refreshGrant(builder.given(ContractFixtures.ROTATED_REFRESH_TOKEN_STATE)
            .uponReceiving("a refresh with a refresh token that was rotated longer ago than the grace window"),
            ROTATED_REFRESH_TOKEN),
        "invalid_grant", "Refresh token is invalid.")
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "replayedRefreshToken")
  void loginWithReplayedRefreshTokenThrowsInvalidGrant(MockServer mockServer) {
    var client = client(mockServer, ACCOUNT, CLIENT_ID);

    assertThatThrownBy(() -> client.loginWithRefresh(ROTATED_REFRESH_TOKEN))
        .isInstanceOfSatisfying(OAuthErrorException.class,
            e -> assertOAuthError(e, "invalid_grant", "Refresh token is invalid."));
  }

  // --- revocation ---

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact signOut(PactDslWithProvider builder) {
    var revocation = passwordLoginSucceeds(builder)
        .given(ContractFixtures.LIVE_LOGIN_REFRESH_TOKEN)
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
    return tooManyRequests(passwordGrant(builder.given(ContractFixtures.LIMIT_USED_UP)
            .uponReceiving("a password login after the account used up its requests for this minute"),
            LIMITED_ACCOUNT, LIMITED_CLIENT_ID, USERNAME, PASSWORD),
        "60", new PactDslJsonBody()
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

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact bruteForced(PactDslWithProvider builder) {
    // the right password: once the budget is spent, the owner is refused too until it refills
    return tooManyRequests(passwordGrant(builder.given(ContractFixtures.BRUTE_FORCED_USER)
            .uponReceiving("a password login of a user whose failed logins used up her budget"),
            ACCOUNT, CLIENT_ID, BRUTE_FORCED_USERNAME, BRUTE_FORCED_PASSWORD),
        "300", new PactDslJsonBody()
            .stringValue("error", "too_many_requests")
            .stringMatcher("error_description", "Too many failed logins for this user\\..*",
                "Too many failed logins for this user. Retry after the delay in Retry-After."))
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "bruteForced")
  void loginAfterTooManyFailedLoginsThrowsRateLimitedWithRetryAfter(MockServer mockServer) {
    var client = client(mockServer, ACCOUNT, CLIENT_ID);

    assertThatThrownBy(() -> client.loginWithPassword(BRUTE_FORCED_USERNAME, BRUTE_FORCED_PASSWORD))
        .isInstanceOfSatisfying(RateLimitedException.class, e -> {
          assertThat(e.status()).isEqualTo(429);
          assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(300));
        });
  }

  // --- anonymous registration (generated UsersApi: MeshyClient has no registerAnonymousUser yet) ---

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact anonymousRegistration(PactDslWithProvider builder) {
    return registration(builder.given(ContractFixtures.REGISTRATION_ENABLED)
            .uponReceiving("an anonymous registration of a new username in an account that allows it"),
            OPEN_ACCOUNT, NEW_DEVICE)
        .willRespondWith()
        .status(201)
        .matchHeader("Content-Type", JSON + ".*", JSON)
        .body(new PactDslJsonBody()
            .stringType("id", EXAMPLE_USER_ID)
            .stringValue("username", NEW_DEVICE)
            .booleanValue("anonymous", true)
            .booleanValue("isActive", true))
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "anonymousRegistration")
  void registerAnonymousUserReturnsTheActiveAnonymousUser(MockServer mockServer) {
    var users = GeneratedClients.of(mockServer.getUrl(), UsersApi.class);

    var user = users.registerAnonymousUser(OPEN_ACCOUNT, new AnonymousRegistration().username(NEW_DEVICE));

    assertThat(user.getId()).isEqualTo(EXAMPLE_USER_ID);
    assertThat(user.getUsername()).isEqualTo(NEW_DEVICE);
    assertThat(user.getAnonymous()).isTrue();
    assertThat(user.getIsActive()).isTrue();
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact anonymousRegistrationDisabled(PactDslWithProvider builder) {
    return oauthError(registration(builder.given(ContractFixtures.REGISTRATION_DISABLED)
            .uponReceiving("an anonymous registration in an account that does not allow it"), ACCOUNT, NEW_DEVICE),
        "invalid_request", "Anonymous registration is not enabled.")
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "anonymousRegistrationDisabled")
  void registerAnonymousUserWhereDisabledIsInvalidRequest(MockServer mockServer) {
    var users = GeneratedClients.of(mockServer.getUrl(), UsersApi.class);

    assertThatThrownBy(() -> users.registerAnonymousUser(ACCOUNT, new AnonymousRegistration().username(NEW_DEVICE)))
        .isInstanceOfSatisfying(FeignException.class,
            e -> assertErrorBody(e, "invalid_request", "Anonymous registration is not enabled."));
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact anonymousRegistrationOfTakenUsername(PactDslWithProvider builder) {
    return oauthError(registration(builder.given(ContractFixtures.DEVICE_REGISTERED)
            .uponReceiving("an anonymous registration of a username already taken in the account"),
            OPEN_ACCOUNT, REGISTERED_DEVICE),
        "invalid_request", "Username must be unique.")
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "anonymousRegistrationOfTakenUsername")
  void registerAnonymousUserWithTakenUsernameIsInvalidRequest(MockServer mockServer) {
    var users = GeneratedClients.of(mockServer.getUrl(), UsersApi.class);

    assertThatThrownBy(() -> users.registerAnonymousUser(OPEN_ACCOUNT,
            new AnonymousRegistration().username(REGISTERED_DEVICE)))
        .isInstanceOfSatisfying(FeignException.class,
            e -> assertErrorBody(e, "invalid_request", "Username must be unique."));
  }

  // --- discovery (generated DiscoveryApi) ---

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact discovery(PactDslWithProvider builder) {
    var issuer = "https?://.+/" + ACCOUNT;
    return builder.given(ContractFixtures.ACCOUNT_EXISTS)
        .uponReceiving("a discovery request of an account")
        .path("/" + ACCOUNT + "/.well-known/openid-configuration")
        .method("GET")
        .willRespondWith()
        .status(200)
        .matchHeader("Content-Type", JSON + ".*", JSON)
        // each URL as this server publishes it: under its base URL, which differs per deployment
        .body(new PactDslJsonBody()
            .stringMatcher("issuer", issuer, EXAMPLE_ISSUER)
            .stringMatcher("token_endpoint", issuer + "/connect/token", EXAMPLE_ISSUER + "/connect/token")
            .stringMatcher("jwks_uri", issuer + "/\\.well-known/openid-configuration/jwks",
                EXAMPLE_ISSUER + "/.well-known/openid-configuration/jwks")
            .minArrayLike("grant_types_supported", 1, PactDslJsonRootValue.stringType("password"), 1))
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "discovery")
  void discoveryNamesTheIssuerAndWhereTheEndpointsAndKeysAre(MockServer mockServer) {
    var metadata = GeneratedClients.of(mockServer.getUrl(), DiscoveryApi.class).discovery(ACCOUNT);

    assertThat(metadata.getIssuer()).isEqualTo(EXAMPLE_ISSUER);
    assertThat(metadata.getTokenEndpoint()).isEqualTo(EXAMPLE_ISSUER + "/connect/token");
    assertThat(metadata.getJwksUri()).isEqualTo(EXAMPLE_ISSUER + "/.well-known/openid-configuration/jwks");
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact jwks(PactDslWithProvider builder) {
    return builder.given(ContractFixtures.ACCOUNT_EXISTS)
        .uponReceiving("a request for the JWK set of an account")
        .path("/" + ACCOUNT + "/.well-known/openid-configuration/jwks")
        .method("GET")
        .willRespondWith()
        .status(200)
        .matchHeader("Content-Type", JSON + ".*", JSON)
        // RFC 7517 section 5; kid and coordinates differ per key, hence per run
        .body(new PactDslJsonBody()
            .minArrayLike("keys", 1)
                .stringValue("kty", "EC")
                .stringValue("crv", "P-256")
                .stringType("kid", EXAMPLE_KID)
                .stringMatcher("x", EC_COORDINATE, EXAMPLE_X)
                .stringMatcher("y", EC_COORDINATE, EXAMPLE_Y)
                .stringValue("use", "sig")
                .stringValue("alg", "ES256")
                .closeObject()
            .closeArray())
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "jwks")
  void jwksHoldsTheAccountsP256SigningKeys(MockServer mockServer) {
    var keys = GeneratedClients.of(mockServer.getUrl(), DiscoveryApi.class).jwks(ACCOUNT).getKeys();

    assertThat(keys).singleElement().satisfies(key -> {
      assertThat(key.getKty()).isEqualTo("EC");
      assertThat(key.getCrv()).isEqualTo("P-256");
      assertThat(key.getKid()).isEqualTo(EXAMPLE_KID);
      assertThat(key.getX()).isEqualTo(EXAMPLE_X);
      assertThat(key.getY()).isEqualTo(EXAMPLE_Y);
      assertThat(key.getUse()).isEqualTo("sig");
      assertThat(key.getAlg()).isEqualTo("ES256");
    });
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact discoveryOfUnknownAccount(PactDslWithProvider builder) {
    return builder.uponReceiving("a discovery request of an account that does not exist")
        .path("/" + UNKNOWN_ACCOUNT + "/.well-known/openid-configuration")
        .method("GET")
        .willRespondWith()
        .status(404)
        .matchHeader("Content-Type", JSON + ".*", JSON)
        .body(new PactDslJsonBody().stringValue("error", "not_found"))
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "discoveryOfUnknownAccount")
  void discoveryOfUnknownAccountIsNotFound(MockServer mockServer) {
    var discovery = GeneratedClients.of(mockServer.getUrl(), DiscoveryApi.class);

    assertThatThrownBy(() -> discovery.discovery(UNKNOWN_ACCOUNT))
        .isInstanceOfSatisfying(FeignException.class, e -> {
          assertThat(e.status()).isEqualTo(404);
          assertThat(GeneratedClients.errorBody(e, NotFoundError.class).getError())
              .isEqualTo("not_found");
        });
  }

  // --- building blocks ---

  private static MeshyClient client(MockServer mockServer, String account, String clientId) {
    // no retries: a 429 must reach the test as it reached the SDK
    return MeshyClient.builder(account, clientId).baseUrl(mockServer.getUrl()).retryPolicy(RetryPolicy.none()).build();
  }

  private static PactDslResponse passwordLoginSucceeds(PactDslWithProvider builder) {
    return tokens(passwordGrant(builder.given(ContractFixtures.ACTIVE_USER)
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
        .matchHeader("Content-Type", JSON + ".*", JSON)
        .headers(Map.of("Cache-Control", "no-store", "Pragma", "no-cache"))
        .body(new PactDslJsonBody()
            .stringMatcher("access_token", JWT, EXAMPLE_ACCESS_TOKEN)
            .integerType("expires_in", 3600)
            .stringValue("token_type", "Bearer")
            .stringMatcher("refresh_token", URL_SAFE_TOKEN, exampleRefreshToken)
            .stringValue("scope", SDK_SCOPE));
  }

  private static PactDslRequestWithPath registration(PactDslRequestWithoutPath request, String account,
      String username) {
    return request.path("/" + account + "/users/register/anonymous")
        .method("POST")
        .matchHeader("Content-Type", JSON + ".*", JSON)
        .body(new PactDslJsonBody().stringValue("username", username));
  }

  /**
   * RFC 6585 section 4: 429, with the delay in seconds in Retry-After (RFC 9110 section 10.2.3) and the limit
   * named in the IETF RateLimit headers.
   */
  private static PactDslResponse tooManyRequests(PactDslRequestWithPath request, String exampleRetryAfter,
      PactDslJsonBody body) {
    return request.willRespondWith()
        .status(429)
        .matchHeader("Retry-After", "[1-9][0-9]*", exampleRetryAfter)
        .matchHeader("RateLimit-Policy", "\"[a-z-]+\";q=[0-9]+;w=[0-9]+", "\"account\";q=1;w=60")
        .matchHeader("RateLimit", "\"[a-z-]+\";r=0;t=[0-9]+", "\"account\";r=0;t=" + exampleRetryAfter)
        .matchHeader("Content-Type", JSON + ".*", JSON)
        .body(body);
  }

  /** RFC 6749 section 5.2. */
  private static PactDslResponse oauthError(PactDslRequestWithPath request, String error, String description) {
    return request.willRespondWith()
        .status(400)
        .matchHeader("Content-Type", JSON + ".*", JSON)
        .body(new PactDslJsonBody()
            .stringValue("error", error)
            .stringValue("error_description", description));
  }

  private static String form(String... namesAndValues) {
    var pairs = new ArrayList<String>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      pairs.add(namesAndValues[i] + "=" + URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
    }
    return String.join("&", pairs);
  }
}
