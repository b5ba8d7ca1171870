package io.meshyauth.contracts.pact;

import static io.meshyauth.contracts.OAuthErrors.assertErrorBody;
import static io.meshyauth.contracts.OAuthErrors.assertOAuthError;
import static io.meshyauth.server.fixtures.ContractFixtures.ACCOUNT;
import static io.meshyauth.server.fixtures.ContractFixtures.ADMIN_ACCOUNT;
import static io.meshyauth.server.fixtures.ContractFixtures.ANONYMOUS_USERNAME;
import static io.meshyauth.server.fixtures.ContractFixtures.APP_PERMISSIBLE;
import static io.meshyauth.server.fixtures.ContractFixtures.BRUTE_FORCED_PASSWORD;
import static io.meshyauth.server.fixtures.ContractFixtures.BRUTE_FORCED_USERNAME;
import static io.meshyauth.server.fixtures.ContractFixtures.CLIENT_ID;
import static io.meshyauth.server.fixtures.ContractFixtures.DELETABLE_USER_ID;
import static io.meshyauth.server.fixtures.ContractFixtures.DRAFTS_ROLE;
import static io.meshyauth.server.fixtures.ContractFixtures.EDITORS_ROLE;
import static io.meshyauth.server.fixtures.ContractFixtures.EXPIRED_REFRESH_TOKEN;
import static io.meshyauth.server.fixtures.ContractFixtures.FIRST_ANSWER;
import static io.meshyauth.server.fixtures.ContractFixtures.FIRST_QUESTION;
import static io.meshyauth.server.fixtures.ContractFixtures.INACTIVE_PASSWORD;
import static io.meshyauth.server.fixtures.ContractFixtures.INACTIVE_USERNAME;
import static io.meshyauth.server.fixtures.ContractFixtures.LIMITED_ACCOUNT;
import static io.meshyauth.server.fixtures.ContractFixtures.LIMITED_CLIENT_ID;
import static io.meshyauth.server.fixtures.ContractFixtures.LOGIN_REFRESH_TOKEN;
import static io.meshyauth.server.fixtures.ContractFixtures.NARROW_ACCOUNT;
import static io.meshyauth.server.fixtures.ContractFixtures.NARROW_CLIENT_ID;
import static io.meshyauth.server.fixtures.ContractFixtures.NEW_DEVICE;
import static io.meshyauth.server.fixtures.ContractFixtures.NEW_ROLE;
import static io.meshyauth.server.fixtures.ContractFixtures.NEW_USERNAME;
import static io.meshyauth.server.fixtures.ContractFixtures.OPEN_ACCOUNT;
import static io.meshyauth.server.fixtures.ContractFixtures.PASSWORD;
import static io.meshyauth.server.fixtures.ContractFixtures.QUESTION_PASSWORD;
import static io.meshyauth.server.fixtures.ContractFixtures.QUESTION_USERNAME;
import static io.meshyauth.server.fixtures.ContractFixtures.REFRESH_TOKEN;
import static io.meshyauth.server.fixtures.ContractFixtures.REGISTERED_DEVICE;
import static io.meshyauth.server.fixtures.ContractFixtures.ROTATED_REFRESH_TOKEN;
import static io.meshyauth.server.fixtures.ContractFixtures.SECOND_QUESTION;
import static io.meshyauth.server.fixtures.ContractFixtures.SERVICE_CLIENT_ID;
import static io.meshyauth.server.fixtures.ContractFixtures.SERVICE_SCOPE;
import static io.meshyauth.server.fixtures.ContractFixtures.SERVICE_SECRET;
import static io.meshyauth.server.fixtures.ContractFixtures.SIGNUP_EMAIL_ACCOUNT;
import static io.meshyauth.server.fixtures.ContractFixtures.SIGNUP_NONE_ACCOUNT;
import static io.meshyauth.server.fixtures.ContractFixtures.SIGNUP_QUESTION_ACCOUNT;
import static io.meshyauth.server.fixtures.ContractFixtures.TARGET_FIRST_NAME;
import static io.meshyauth.server.fixtures.ContractFixtures.TARGET_LAST_NAME;
import static io.meshyauth.server.fixtures.ContractFixtures.TARGET_USERNAME;
import static io.meshyauth.server.fixtures.ContractFixtures.TARGET_USER_ID;
import static io.meshyauth.server.fixtures.ContractFixtures.UNKNOWN_ACCOUNT;
import static io.meshyauth.server.fixtures.ContractFixtures.UNVERIFIED_USERNAME;
import static io.meshyauth.server.fixtures.ContractFixtures.USERNAME;
import static io.meshyauth.server.fixtures.ContractFixtures.VERIFICATION_CODE;
import static io.meshyauth.server.fixtures.ContractFixtures.WRONG_SERVICE_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import au.com.dius.pact.consumer.MockServer;
import au.com.dius.pact.consumer.dsl.DslPart;
import au.com.dius.pact.consumer.dsl.FormPostBuilder;
import au.com.dius.pact.consumer.dsl.PactDslJsonBody;
import au.com.dius.pact.consumer.dsl.PactDslJsonRootValue;
import au.com.dius.pact.consumer.dsl.PactDslRequestWithPath;
import au.com.dius.pact.consumer.dsl.PactDslRequestWithoutPath;
import au.com.dius.pact.consumer.dsl.PactDslResponse;
import au.com.dius.pact.consumer.dsl.PactDslWithProvider;
import au.com.dius.pact.consumer.junit5.PactConsumerTestExt;
import au.com.dius.pact.consumer.junit5.PactTestFor;
import au.com.dius.pact.core.model.ContentType;
import au.com.dius.pact.core.model.PactSpecVersion;
import au.com.dius.pact.core.model.V4Pact;
import au.com.dius.pact.core.model.annotations.Pact;
import feign.FeignException;
import io.meshyauth.client.Introspection;
import io.meshyauth.client.MeshyClient;
import io.meshyauth.client.NewUser;
import io.meshyauth.client.NotFoundException;
import io.meshyauth.client.OAuthErrorException;
import io.meshyauth.client.RateLimitedException;
import io.meshyauth.client.RetryPolicy;
import io.meshyauth.client.SecurityQuestion;
import io.meshyauth.client.User;
import io.meshyauth.client.VerificationHash;
import io.meshyauth.client.generated.api.AdministrationApi;
import io.meshyauth.client.generated.api.DiscoveryApi;
import io.meshyauth.client.generated.api.UsersApi;
import io.meshyauth.client.generated.model.AnonymousRegistration;
import io.meshyauth.client.generated.model.BearerError;
import io.meshyauth.client.generated.model.NotFoundError;
import io.meshyauth.client.generated.model.Permissible;
import io.meshyauth.client.generated.model.PermissionInput;
import io.meshyauth.client.generated.model.RoleInput;
import io.meshyauth.client.generated.model.RoleUsers;
import io.meshyauth.client.generated.model.SecurityQuestionAnswer;
import io.meshyauth.client.generated.model.SecurityQuestionUpdate;
import io.meshyauth.client.generated.model.UserReference;
import io.meshyauth.client.generated.model.UserUpdate;
import io.meshyauth.contracts.AdministrationExamples;
import io.meshyauth.contracts.GeneratedClients;
import io.meshyauth.server.fixtures.ContractFixtures;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The SDK's side of the pact: each test drives {@link MeshyClient} (and through it the generated Feign client)
 * against Pact's mock server, asserts what the SDK returns or throws, and leaves the interactions in
 * target/pacts for {@code MeshyServerPactIT} to replay against the real server. Anonymous registration,
 * discovery and administration, which MeshyClient does not offer yet, drive the generated Feign clients directly.
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
  private static final String EXAMPLE_SERVICE_ACCESS_TOKEN =
      "eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJhY21lLXNlcnZpY2UifQ.c2lnbmF0dXJl";
  private static final long EXAMPLE_EXP = 1796468400L;
  private static final String EXAMPLE_JTI = "6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b";
  // a coordinate of a P-256 public key: 32 bytes, base64url without padding (RFC 7518 section 6.2.1.2)
  private static final String EC_COORDINATE = "[A-Za-z0-9_-]{43}";
  private static final String EXAMPLE_KID = "4f1c2a9e-6b0d-4c3a-9e5f-7a8b9c0d1e2f";
  private static final String EXAMPLE_X = "Dj9vlt7POVnO1VqOMONRzXJYivNk3MFg6srWxrgiDto";
  private static final String EXAMPLE_Y = "BIoTGjCuLyoKSBmM9FibZUuXq6BEITtTXfvW2XVPvhg";
  // sign-up and recovery: a VerificationHash's hash and expiry are the server's to make (fixed only in the examples)
  private static final String VERIFICATION_HASH = "v1\\.[A-Za-z0-9_-]+";
  private static final String INSTANT = "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})";
  private static final String EXAMPLE_HASH = "v1.4kT0n7Y2b9Q1c3Xw8Jx0aP";
  private static final String EXAMPLE_EXPIRES = "2026-12-05T13:00:00Z";
  private static final String FORGED_HASH = "v1.not-a-hash-this-server-made";
  private static final String FAR_EXPIRES = "2099-01-01T00:00:00Z";
  private static final String NEW_PASSWORD = "newcomer-password";
  private static final String WRONG_ANSWER = "Tom";
  private static final String EMAIL_HINT = "Enter the code sent to your email address.";
  private static final String ADMIN_API = "/" + ADMIN_ACCOUNT + "/";

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

  // --- services: the client_credentials grant and introspection ---

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact serviceLogin(PactDslWithProvider builder) {
    return serviceLoginSucceeds(builder).toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "serviceLogin")
  void loginWithClientCredentialsReturnsServiceConnectionHoldingTheServicesToken(MockServer mockServer) {
    var before = Instant.now();

    var connection = client(mockServer, ACCOUNT, SERVICE_CLIENT_ID).loginWithClientCredentials(SERVICE_SECRET);

    assertThat(connection.accessToken()).isEqualTo(EXAMPLE_SERVICE_ACCESS_TOKEN);
    assertThat(connection.scope()).isEqualTo(SERVICE_SCOPE);
    assertThat(connection.accessTokenExpiresAt()).isAfterOrEqualTo(before.plusSeconds(3600));
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact wrongServiceSecret(PactDslWithProvider builder) {
    return clientCredentialsGrant(builder.given(ContractFixtures.SERVICE_CLIENT)
            .uponReceiving("a client_credentials grant with a secret the client does not have"),
            WRONG_SERVICE_SECRET)
        .willRespondWith()
        .status(401)
        // RFC 6749 section 5.2: the scheme the client authenticated with
        .matchHeader("WWW-Authenticate", "Basic( .*)?", "Basic realm=\"meshy-auth\"")
        .matchHeader("Content-Type", JSON + ".*", JSON)
        .body(new PactDslJsonBody()
            .stringValue("error", "invalid_client")
            .stringValue("error_description", "Client authentication failed."))
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "wrongServiceSecret")
  void loginWithClientCredentialsWithAWrongSecretThrowsInvalidClientWithStatus401(MockServer mockServer) {
    var client = client(mockServer, ACCOUNT, SERVICE_CLIENT_ID);

    assertThatThrownBy(() -> client.loginWithClientCredentials(WRONG_SERVICE_SECRET))
        .isInstanceOfSatisfying(OAuthErrorException.class, e -> {
          assertThat(e.status()).isEqualTo(401);
          assertThat(e.error()).isEqualTo("invalid_client");
          assertThat(e.description()).isEqualTo("Client authentication failed.");
        });
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact introspectLiveAccessToken(PactDslWithProvider builder) {
    // alice's access token is the server's to make: the state logs her in and answers it
    return introspection(serviceLoginSucceeds(builder)
            .given(ContractFixtures.SERVICE_CLIENT)
            .given(ContractFixtures.ACTIVE_USER_LOGGED_IN)
            .uponReceiving("an introspection of a user's live access token"),
        tokenForm().parameterFromProviderState("token", "${accessToken}", EXAMPLE_ACCESS_TOKEN))
        .willRespondWith()
        .status(200)
        .matchHeader("Content-Type", JSON + ".*", JSON)
        .headers(Map.of("Cache-Control", "no-store", "Pragma", "no-cache"))
        .body(new PactDslJsonBody()
            .booleanValue("active", true)
            .stringValue("scope", SDK_SCOPE)
            .stringValue("client_id", CLIENT_ID)
            .stringValue("username", USERNAME)
            .stringValue("token_type", "Bearer")
            .integerType("exp", EXAMPLE_EXP)
            .integerType("iat", EXAMPLE_EXP - 3600)
            .stringType("sub", EXAMPLE_USER_ID)
            .stringValue("aud", "meshy.api")
            .stringMatcher("iss", "https?://[^/]+/" + ACCOUNT, EXAMPLE_ISSUER)
            .stringType("jti", EXAMPLE_JTI))
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "introspectLiveAccessToken")
  void introspectOfALiveAccessTokenIsActiveWithItsUserClientAndScope(MockServer mockServer) {
    var service = client(mockServer, ACCOUNT, SERVICE_CLIENT_ID).loginWithClientCredentials(SERVICE_SECRET);

    var introspection = service.introspect(EXAMPLE_ACCESS_TOKEN);

    assertThat(introspection.active()).isTrue();
    assertThat(introspection.username()).contains(USERNAME);
    assertThat(introspection.subject()).contains(EXAMPLE_USER_ID);
    assertThat(introspection.clientId()).contains(CLIENT_ID);
    assertThat(introspection.scope()).contains(SDK_SCOPE);
    assertThat(introspection.tokenType()).contains("Bearer");
    assertThat(introspection.expiresAt()).contains(Instant.ofEpochSecond(EXAMPLE_EXP));
    assertThat(introspection.issuedAt()).contains(Instant.ofEpochSecond(EXAMPLE_EXP - 3600));
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact introspectExpiredRefreshToken(PactDslWithProvider builder) {
    return introspection(serviceLoginSucceeds(builder)
            .given(ContractFixtures.SERVICE_CLIENT)
            .given(ContractFixtures.EXPIRED_REFRESH_TOKEN_STATE)
            .uponReceiving("an introspection of an expired refresh token"),
        tokenForm().stringValue("token", EXPIRED_REFRESH_TOKEN))
        .willRespondWith()
        .status(200)
        .matchHeader("Content-Type", JSON + ".*", JSON)
        .headers(Map.of("Cache-Control", "no-store", "Pragma", "no-cache"))
        // RFC 7662 section 2.2: an inactive token says nothing more
        .body(new PactDslJsonBody().booleanValue("active", false))
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "introspectExpiredRefreshToken")
  void introspectOfAnExpiredRefreshTokenIsInactive(MockServer mockServer) {
    var service = client(mockServer, ACCOUNT, SERVICE_CLIENT_ID).loginWithClientCredentials(SERVICE_SECRET);

    assertThat(service.introspect(EXPIRED_REFRESH_TOKEN)).isEqualTo(Introspection.inactive());
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

  // --- sign-up and recovery (MeshyDB's users/*), in the fixtures' sign-up accounts ---

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact checkUserExistOfTakenUsername(PactDslWithProvider builder) {
    return exists(builder.given(ContractFixtures.QUESTION_USER)
        .uponReceiving("a check whether a username is taken, of a user that exists"), QUESTION_USERNAME, true)
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "checkUserExistOfTakenUsername")
  void checkUserExistOfAUserThatExistsIsTrue(MockServer mockServer) {
    assertThat(signUpClient(mockServer, SIGNUP_QUESTION_ACCOUNT).checkUserExist(QUESTION_USERNAME)).isTrue();
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact checkUserExistOfFreeUsername(PactDslWithProvider builder) {
    return exists(builder.given(ContractFixtures.SIGN_UP_OPEN)
        .uponReceiving("a check whether a username is taken, of a free username"), NEW_USERNAME, false)
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "checkUserExistOfFreeUsername")
  void checkUserExistOfAFreeUsernameIsFalse(MockServer mockServer) {
    assertThat(signUpClient(mockServer, SIGNUP_QUESTION_ACCOUNT).checkUserExist(NEW_USERNAME)).isFalse();
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact registerInQuestionMode(PactDslWithProvider builder) {
    return usersPost(builder.given(ContractFixtures.SIGN_UP_OPEN)
            .uponReceiving("a registration with a security question in an account that verifies by question"),
            SIGNUP_QUESTION_ACCOUNT, "register", registration(NEW_USERNAME, NEW_PASSWORD, true))
        .willRespondWith()
        .status(204)
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "registerInQuestionMode")
  void registerUserInQuestionModeAnswersNoHash(MockServer mockServer) {
    var hash = signUpClient(mockServer, SIGNUP_QUESTION_ACCOUNT).registerUser(NewUser.builder(NEW_USERNAME,
        NEW_PASSWORD).securityQuestion(FIRST_QUESTION, FIRST_ANSWER).build());

    assertThat(hash).isEmpty();
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact registerWithoutVerification(PactDslWithProvider builder) {
    return usersPost(builder.given(ContractFixtures.SIGN_UP_OPEN)
            .uponReceiving("a registration in an account that does not verify new users"),
            SIGNUP_NONE_ACCOUNT, "register", registration(NEW_USERNAME, NEW_PASSWORD, false))
        .willRespondWith()
        .status(204)
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "registerWithoutVerification")
  void registerUserWithoutVerificationAnswersNoHash(MockServer mockServer) {
    var hash = signUpClient(mockServer, SIGNUP_NONE_ACCOUNT)
        .registerUser(NewUser.builder(NEW_USERNAME, NEW_PASSWORD).build());

    assertThat(hash).isEmpty();
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact registerWhereDisabled(PactDslWithProvider builder) {
    return signUpError(usersPost(builder.given(ContractFixtures.ACCOUNT_EXISTS)
            .uponReceiving("a registration in an account that does not allow public registration"),
            ACCOUNT, "register", registration(NEW_USERNAME, NEW_PASSWORD, false)),
        400, "invalid_request", "Public registration is not enabled.")
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "registerWhereDisabled")
  void registerUserWhereDisabledThrowsWithMeshyDbsMessage(MockServer mockServer) {
    var client = client(mockServer, ACCOUNT, CLIENT_ID);

    assertThatThrownBy(() -> client.registerUser(NewUser.builder(NEW_USERNAME, NEW_PASSWORD).build()))
        .isInstanceOfSatisfying(OAuthErrorException.class, e -> {
          assertOAuthError(e, "invalid_request", "Public registration is not enabled.");
          assertThat(e.meshyMessage()).contains("Public registration is not enabled.");
        });
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact registerTakenUsername(PactDslWithProvider builder) {
    return signUpError(usersPost(builder.given(ContractFixtures.QUESTION_USER)
            .uponReceiving("a registration of a username already taken in the account"),
            SIGNUP_QUESTION_ACCOUNT, "register", registration(QUESTION_USERNAME, NEW_PASSWORD, true)),
        400, "invalid_request", "Username must be unique.")
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "registerTakenUsername")
  void registerUserWithATakenUsernameThrowsWithMeshyDbsMessage(MockServer mockServer) {
    var client = signUpClient(mockServer, SIGNUP_QUESTION_ACCOUNT);

    assertThatThrownBy(() -> client.registerUser(NewUser.builder(QUESTION_USERNAME, NEW_PASSWORD)
            .securityQuestion(FIRST_QUESTION, FIRST_ANSWER).build()))
        .isInstanceOfSatisfying(OAuthErrorException.class,
            e -> assertThat(e.meshyMessage()).contains("Username must be unique."));
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact forgotPasswordInQuestionMode(PactDslWithProvider builder) {
    return usersPost(builder.given(ContractFixtures.QUESTION_USER)
            .uponReceiving("a password reset started in an account that verifies by question"),
            SIGNUP_QUESTION_ACCOUNT, "forgotpassword", new PactDslJsonBody()
                .stringValue("username", QUESTION_USERNAME)
                .integerType("attempt", 1))
        .willRespondWith()
        .status(200)
        .matchHeader("Content-Type", JSON + ".*", JSON)
        // the hash and its expiry are the server's to make; the question is the user's first
        .body(new PactDslJsonBody()
            .stringValue("username", QUESTION_USERNAME)
            .integerType("attempt", 1)
            .stringMatcher("hash", VERIFICATION_HASH, EXAMPLE_HASH)
            .stringMatcher("expires", INSTANT, EXAMPLE_EXPIRES)
            .stringValue("hint", FIRST_QUESTION))
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "forgotPasswordInQuestionMode")
  void forgotPasswordAnswersTheHashWithTheQuestionAsHint(MockServer mockServer) {
    var hash = signUpClient(mockServer, SIGNUP_QUESTION_ACCOUNT).forgotPassword(QUESTION_USERNAME);

    assertThat(hash).isEqualTo(exampleHash());
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact forgotPasswordOfUnknownUser(PactDslWithProvider builder) {
    return signUpError(usersPost(builder.given(ContractFixtures.SIGN_UP_OPEN)
            .uponReceiving("a password reset started for a username nobody has"),
            SIGNUP_QUESTION_ACCOUNT, "forgotpassword", new PactDslJsonBody()
                .stringValue("username", NEW_USERNAME)
                .integerType("attempt", 1)),
        404, "not_found", "User was not found.")
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "forgotPasswordOfUnknownUser")
  void forgotPasswordOfAnUnknownUserThrowsNotFoundWithMeshyDbsMessage(MockServer mockServer) {
    var client = signUpClient(mockServer, SIGNUP_QUESTION_ACCOUNT);

    assertThatThrownBy(() -> client.forgotPassword(NEW_USERNAME))
        .isInstanceOfSatisfying(NotFoundException.class, e -> {
          assertThat(e.status()).isEqualTo(404);
          assertThat(e.meshyMessage()).contains("User was not found.");
        });
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact checkHashWithRightAnswer(PactDslWithProvider builder) {
    return validity(usersPost(builder.given(ContractFixtures.QUESTION_RESET_STARTED)
            .uponReceiving("a check of the right answer to the question of a password reset"),
            SIGNUP_QUESTION_ACCOUNT, "checkhash", issuedCheck(FIRST_ANSWER)), true)
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "checkHashWithRightAnswer")
  void checkHashOfTheRightAnswerIsTrue(MockServer mockServer) {
    assertThat(signUpClient(mockServer, SIGNUP_QUESTION_ACCOUNT).checkHash(exampleHash(), FIRST_ANSWER)).isTrue();
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact checkHashWithWrongAnswer(PactDslWithProvider builder) {
    return validity(usersPost(builder.given(ContractFixtures.QUESTION_RESET_STARTED)
            .uponReceiving("a check of a wrong answer to the question of a password reset"),
            SIGNUP_QUESTION_ACCOUNT, "checkhash", issuedCheck(WRONG_ANSWER)), false)
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "checkHashWithWrongAnswer")
  void checkHashOfAWrongAnswerIsFalse(MockServer mockServer) {
    assertThat(signUpClient(mockServer, SIGNUP_QUESTION_ACCOUNT).checkHash(exampleHash(), WRONG_ANSWER)).isFalse();
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact resetPasswordWithRightAnswer(PactDslWithProvider builder) {
    return usersPost(builder.given(ContractFixtures.QUESTION_RESET_STARTED)
            .uponReceiving("a password reset completed with the right answer"),
            SIGNUP_QUESTION_ACCOUNT, "resetpassword",
            issuedCheck(FIRST_ANSWER).stringValue("newPassword", NEW_PASSWORD))
        .willRespondWith()
        .status(204)
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "resetPasswordWithRightAnswer")
  void resetPasswordWithTheRightAnswerSucceeds(MockServer mockServer) {
    signUpClient(mockServer, SIGNUP_QUESTION_ACCOUNT).resetPassword(exampleHash(), FIRST_ANSWER, NEW_PASSWORD);
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact resetPasswordWithInvalidHash(PactDslWithProvider builder) {
    return signUpError(usersPost(builder.given(ContractFixtures.QUESTION_USER)
            .uponReceiving("a password reset completed with a hash the server did not make"),
            SIGNUP_QUESTION_ACCOUNT, "resetpassword",
            forgedCheck(QUESTION_USERNAME, FIRST_QUESTION, FIRST_ANSWER).stringValue("newPassword", NEW_PASSWORD)),
        400, "invalid_request", "Request hash is invalid.")
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "resetPasswordWithInvalidHash")
  void resetPasswordWithAForgedHashThrowsWithMeshyDbsMessage(MockServer mockServer) {
    var client = signUpClient(mockServer, SIGNUP_QUESTION_ACCOUNT);

    assertThatThrownBy(() -> client.resetPassword(forgedHash(QUESTION_USERNAME, FIRST_QUESTION), FIRST_ANSWER,
            NEW_PASSWORD))
        .isInstanceOfSatisfying(OAuthErrorException.class,
            e -> assertThat(e.meshyMessage()).contains("Request hash is invalid."));
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact verifyWithInvalidHash(PactDslWithProvider builder) {
    return signUpError(usersPost(builder.given(ContractFixtures.UNVERIFIED_USER)
            .uponReceiving("a verification of a new user with a hash the server did not make"),
            SIGNUP_EMAIL_ACCOUNT, "verify", forgedCheck(UNVERIFIED_USERNAME, EMAIL_HINT, VERIFICATION_CODE)),
        400, "invalid_request", "Request hash is invalid.")
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "verifyWithInvalidHash")
  void verifyWithAForgedHashThrowsWithMeshyDbsMessage(MockServer mockServer) {
    var client = signUpClient(mockServer, SIGNUP_EMAIL_ACCOUNT);

    assertThatThrownBy(() -> client.verify(forgedHash(UNVERIFIED_USERNAME, EMAIL_HINT), VERIFICATION_CODE))
        .isInstanceOfSatisfying(OAuthErrorException.class,
            e -> assertThat(e.meshyMessage()).contains("Request hash is invalid."));
  }

  // --- the signed-in user (users/me), with the bearer of a login ---

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact updateSelf(PactDslWithProvider builder) {
    return questionUserLogin(builder)
        .given(ContractFixtures.QUESTION_USER_LOGGED_IN)
        .uponReceiving("a change of the signed-in user's names and e-mail address")
        .path("/" + SIGNUP_QUESTION_ACCOUNT + "/users/me")
        .method("PUT")
        .headerFromProviderState("Authorization", "Bearer ${accessToken}", "Bearer " + EXAMPLE_ACCESS_TOKEN)
        .matchHeader("Content-Type", JSON + ".*", JSON)
        .body(new PactDslJsonBody()
            .stringValue("firstName", "Quinn")
            .stringValue("lastName", "Quill")
            .stringValue("emailAddress", "quinn@example.com"))
        .willRespondWith()
        .status(200)
        .matchHeader("Content-Type", JSON + ".*", JSON)
        .body(new PactDslJsonBody()
            .stringType("id", EXAMPLE_USER_ID)
            .stringValue("username", QUESTION_USERNAME)
            .stringValue("firstName", "Quinn")
            .stringValue("lastName", "Quill")
            .stringValue("emailAddress", "quinn@example.com")
            .booleanValue("verified", true)
            .booleanValue("isActive", true)
            .booleanValue("anonymous", false)
            .array("roles").closeArray())
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "updateSelf")
  void updateSelfAnswersTheUserAsItNowIs(MockServer mockServer) {
    var connection = signUpClient(mockServer, SIGNUP_QUESTION_ACCOUNT)
        .loginWithPassword(QUESTION_USERNAME, QUESTION_PASSWORD);

    var updated = connection.updateSelf(new User(EXAMPLE_USER_ID, QUESTION_USERNAME, Optional.of("Quinn"),
        Optional.of("Quill"), Optional.empty(), Optional.of("quinn@example.com"), true, true, false, List.of(),
        List.of(FIRST_QUESTION, SECOND_QUESTION)));

    assertThat(updated.username()).isEqualTo(QUESTION_USERNAME);
    assertThat(updated.firstName()).contains("Quinn");
    assertThat(updated.lastName()).contains("Quill");
    assertThat(updated.emailAddress()).contains("quinn@example.com");
    assertThat(updated.verified()).isTrue();
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact updateSecurityQuestions(PactDslWithProvider builder) {
    return questionUserLogin(builder)
        .given(ContractFixtures.QUESTION_USER_LOGGED_IN)
        .uponReceiving("a replacement of the signed-in user's security questions")
        .path("/" + SIGNUP_QUESTION_ACCOUNT + "/users/me/questions")
        .method("POST")
        .headerFromProviderState("Authorization", "Bearer ${accessToken}", "Bearer " + EXAMPLE_ACCESS_TOKEN)
        .matchHeader("Content-Type", JSON + ".*", JSON)
        .body(new PactDslJsonBody()
            .minArrayLike("securityQuestions", 1, 1)
                .stringValue("question", "Favourite colour?")
                .stringValue("answer", "Blue")
                .closeObject()
            .closeArray())
        .willRespondWith()
        .status(204)
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "updateSecurityQuestions")
  void updateSecurityQuestionsSucceeds(MockServer mockServer) {
    var connection = signUpClient(mockServer, SIGNUP_QUESTION_ACCOUNT)
        .loginWithPassword(QUESTION_USERNAME, QUESTION_PASSWORD);

    connection.updateSecurityQuestions(List.of(new SecurityQuestion("Favourite colour?", "Blue")));
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

  // --- administration (generated AdministrationApi: MeshyConnection offers no administration yet), in account
  // admin-demo, with ada's bearer (role admins) from the provider state; role and permission ids from theirs ---

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact searchUsers(PactDslWithProvider builder) {
    var body = new PactDslJsonBody();
    var results = body.array("results");
    tess(results.object(), TARGET_LAST_NAME).closeObject();
    results.closeArray();
    return administratorOk(asAdministrator(builder, "a search of the users by name, as an administrator")
            .path(ADMIN_API + "users").method("GET").query("name=tess&page=1&pageSize=25"),
        200, page(body, 1))
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "searchUsers")
  void searchUsersAnswersAPageOfTheUsersWhoseNameBeginsSo(MockServer mockServer) {
    var page = administration(mockServer).searchUsers(ADMIN_ACCOUNT, "tess", null, null, null, 1, 25);

    assertThat(page.getTotalRecords()).isEqualTo(1L);
    assertThat(page.getResults()).singleElement().satisfies(user -> {
      assertThat(user.getId()).isEqualTo(TARGET_USER_ID);
      assertThat(user.getUsername()).isEqualTo(TARGET_USERNAME);
      assertThat(user.getRoles()).singleElement().satisfies(role -> assertThat(role.getName()).isEqualTo(EDITORS_ROLE));
    });
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact createUser(PactDslWithProvider builder) {
    var request = new PactDslJsonBody()
        .stringValue("username", NEW_USERNAME)
        .stringValue("newPassword", NEW_PASSWORD)
        .stringValue("firstName", "Nia")
        .stringValue("lastName", "Newman")
        .booleanValue("verified", true)
        .booleanValue("isActive", true);
    var asked = request.array("securityQuestions");
    asked.object().stringValue("question", FIRST_QUESTION).stringValue("answer", FIRST_ANSWER).closeObject();
    asked.closeArray();
    request.array("roles").closeArray();
    var created = new PactDslJsonBody()
        .stringType("id", AdministrationExamples.NEW_USER_ID)
        .stringValue("username", NEW_USERNAME)
        .stringValue("firstName", "Nia")
        .stringValue("lastName", "Newman")
        .booleanValue("verified", true)
        .booleanValue("isActive", true)
        .booleanValue("anonymous", false);
    created.array("roles").closeArray();
    var questions = created.array("securityQuestions");
    questions.object().stringValue("question", FIRST_QUESTION).closeObject();
    questions.closeArray();
    return administratorOk(asAdministrator(builder, "a creation of a user by an administrator")
            .path(ADMIN_API + "users").method("POST").matchHeader("Content-Type", JSON + ".*", JSON).body(request),
        201, created)
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "createUser")
  void createUserAnswersTheUserAsCreated(MockServer mockServer) {
    var user = administration(mockServer).createUser(ADMIN_ACCOUNT, new io.meshyauth.client.generated.model.NewUser()
        .username(NEW_USERNAME).newPassword(NEW_PASSWORD).firstName("Nia").lastName("Newman")
        .addSecurityQuestionsItem(new SecurityQuestionAnswer().question(FIRST_QUESTION).answer(FIRST_ANSWER))
        .verified(true).isActive(true));

    assertThat(user.getId()).isEqualTo(AdministrationExamples.NEW_USER_ID);
    assertThat(user.getUsername()).isEqualTo(NEW_USERNAME);
    assertThat(user.getIsActive()).isTrue();
    assertThat(user.getRoles()).isEmpty();
    assertThat(user.getSecurityQuestions()).singleElement()
        .satisfies(question -> assertThat(question.getQuestion()).isEqualTo(FIRST_QUESTION));
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact getUser(PactDslWithProvider builder) {
    return administratorOk(asAdministrator(builder, "a read of a user by id, as an administrator")
            .path(ADMIN_API + "users/" + TARGET_USER_ID).method("GET"),
        200, tess(new PactDslJsonBody(), TARGET_LAST_NAME))
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "getUser")
  void getUserAnswersTheUserWithItsRoles(MockServer mockServer) {
    var user = administration(mockServer).getUser(ADMIN_ACCOUNT, TARGET_USER_ID);

    assertThat(user.getUsername()).isEqualTo(TARGET_USERNAME);
    assertThat(user.getFirstName()).isEqualTo(TARGET_FIRST_NAME);
    assertThat(user.getRoles()).singleElement().satisfies(role -> {
      assertThat(role.getName()).isEqualTo(EDITORS_ROLE);
      assertThat(role.getAddedDate()).isEqualTo(OffsetDateTime.parse(AdministrationExamples.ADDED_DATE));
    });
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact updateUser(PactDslWithProvider builder) {
    var request = new PactDslJsonBody()
        .stringValue("firstName", TARGET_FIRST_NAME)
        .stringValue("lastName", "Tanner")
        .stringValue("emailAddress", "tess@example.com")
        .booleanValue("isActive", true)
        .booleanValue("verified", true);
    request.array("roles").closeArray();
    return administratorOk(asAdministrator(builder, "a change of a user's names and e-mail address by an administrator")
            .path(ADMIN_API + "users/" + TARGET_USER_ID).method("PUT")
            .matchHeader("Content-Type", JSON + ".*", JSON).body(request),
        200, tess(new PactDslJsonBody(), "Tanner").stringValue("emailAddress", "tess@example.com"))
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "updateUser")
  void updateUserAnswersTheUserAsItNowIs(MockServer mockServer) {
    var user = administration(mockServer).updateUser(ADMIN_ACCOUNT, TARGET_USER_ID, new UserUpdate()
        .firstName(TARGET_FIRST_NAME).lastName("Tanner").emailAddress("tess@example.com").isActive(true)
        .verified(true));

    assertThat(user.getLastName()).isEqualTo("Tanner");
    assertThat(user.getEmailAddress()).isEqualTo("tess@example.com");
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact deleteUser(PactDslWithProvider builder) {
    return asAdministrator(builder, "a deletion of a user by an administrator", ContractFixtures.DELETABLE_USER)
        .path(ADMIN_API + "users/" + DELETABLE_USER_ID).method("DELETE")
        .willRespondWith().status(204)
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "deleteUser")
  void deleteUserSucceeds(MockServer mockServer) {
    assertThatCode(() -> administration(mockServer).deleteUser(ADMIN_ACCOUNT, DELETABLE_USER_ID))
        .doesNotThrowAnyException();
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact updateUserSecurityQuestions(PactDslWithProvider builder) {
    var request = new PactDslJsonBody();
    var questions = request.array("securityQuestions");
    questions.object().stringValue("question", "Favourite colour?").stringValue("answer", "Blue").closeObject();
    questions.closeArray();
    return asAdministrator(builder, "a replacement of a user's security questions by an administrator")
        .path(ADMIN_API + "users/" + TARGET_USER_ID + "/questions").method("POST")
        .matchHeader("Content-Type", JSON + ".*", JSON).body(request)
        .willRespondWith().status(204)
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "updateUserSecurityQuestions")
  void updateUserSecurityQuestionsSucceeds(MockServer mockServer) {
    assertThatCode(() -> administration(mockServer).updateUserSecurityQuestions(ADMIN_ACCOUNT, TARGET_USER_ID,
        new SecurityQuestionUpdate().addSecurityQuestionsItem(new SecurityQuestionAnswer()
            .question("Favourite colour?").answer("Blue"))))
        .doesNotThrowAnyException();
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact searchRoles(PactDslWithProvider builder) {
    var body = new PactDslJsonBody();
    var results = body.array("results");
    results.object()
        .stringMatcher("id", AdministrationExamples.OBJECT_ID, AdministrationExamples.EDITORS_ROLE_ID)
        .stringValue("name", EDITORS_ROLE)
        .stringValue("description", ContractFixtures.EDITORS_DESCRIPTION)
        .numberValue("numberOfUsers", 1)
        .closeObject();
    results.closeArray();
    return administratorOk(asAdministrator(builder, "a search of the roles by name, as an administrator")
            .path(ADMIN_API + "roles").method("GET").query("name=edit&page=1&pageSize=25"),
        200, page(body, 1))
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "searchRoles")
  void searchRolesAnswersAPageOfTheRolesWhoseNameBeginsSo(MockServer mockServer) {
    var page = administration(mockServer).searchRoles(ADMIN_ACCOUNT, "edit", 1, 25);

    assertThat(page.getResults()).singleElement().satisfies(role -> {
      assertThat(role.getId()).isEqualTo(AdministrationExamples.EDITORS_ROLE_ID);
      assertThat(role.getName()).isEqualTo(EDITORS_ROLE);
      assertThat(role.getNumberOfUsers()).isEqualTo(1L);
    });
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact createRole(PactDslWithProvider builder) {
    return administratorOk(asAdministrator(builder, "a creation of a role by an administrator")
            .path(ADMIN_API + "roles").method("POST").matchHeader("Content-Type", JSON + ".*", JSON)
            .body(new PactDslJsonBody().stringValue("name", NEW_ROLE).stringValue("description", "Reviews meshes.")),
        201, role(new PactDslJsonBody().stringMatcher("id", AdministrationExamples.OBJECT_ID,
            AdministrationExamples.NEW_ROLE_ID), NEW_ROLE, "Reviews meshes.", 0))
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "createRole")
  void createRoleAnswersTheRoleWithItsId(MockServer mockServer) {
    var role = administration(mockServer).createRole(ADMIN_ACCOUNT,
        new RoleInput().name(NEW_ROLE).description("Reviews meshes."));

    assertThat(role.getId()).isEqualTo(AdministrationExamples.NEW_ROLE_ID);
    assertThat(role.getName()).isEqualTo(NEW_ROLE);
    assertThat(role.getNumberOfUsers()).isZero();
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact getRole(PactDslWithProvider builder) {
    return administratorOk(asAdministrator(builder, "a read of a role by id, as an administrator",
            ContractFixtures.ROLE_WITH_PERMISSION)
            .pathFromProviderState(ADMIN_API + "roles/${roleId}", editors("")).method("GET"),
        200, role(roleIdFromState(new PactDslJsonBody(), AdministrationExamples.EDITORS_ROLE_ID), EDITORS_ROLE,
            ContractFixtures.EDITORS_DESCRIPTION, 1))
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "getRole")
  void getRoleAnswersTheRoleAndHowManyHoldIt(MockServer mockServer) {
    var role = administration(mockServer).getRole(ADMIN_ACCOUNT, AdministrationExamples.EDITORS_ROLE_ID);

    assertThat(role.getId()).isEqualTo(AdministrationExamples.EDITORS_ROLE_ID);
    assertThat(role.getDescription()).isEqualTo(ContractFixtures.EDITORS_DESCRIPTION);
    assertThat(role.getNumberOfUsers()).isEqualTo(1L);
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact updateRole(PactDslWithProvider builder) {
    return administratorOk(asAdministrator(builder, "a change of a role's description by an administrator",
            ContractFixtures.CHANGEABLE_ROLE)
            .pathFromProviderState(ADMIN_API + "roles/${roleId}", drafts("")).method("PUT")
            .matchHeader("Content-Type", JSON + ".*", JSON)
            .body(new PactDslJsonBody().stringValue("name", DRAFTS_ROLE)
                .stringValue("description", "Drafts meshes for review.")),
        200, role(roleIdFromState(new PactDslJsonBody(), AdministrationExamples.DRAFTS_ROLE_ID), DRAFTS_ROLE,
            "Drafts meshes for review.", 0))
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "updateRole")
  void updateRoleAnswersTheRoleAsItNowIs(MockServer mockServer) {
    var role = administration(mockServer).updateRole(ADMIN_ACCOUNT, AdministrationExamples.DRAFTS_ROLE_ID,
        new RoleInput().name(DRAFTS_ROLE).description("Drafts meshes for review."));

    assertThat(role.getDescription()).isEqualTo("Drafts meshes for review.");
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact deleteRole(PactDslWithProvider builder) {
    return asAdministrator(builder, "a deletion of a role by an administrator", ContractFixtures.CHANGEABLE_ROLE)
        .pathFromProviderState(ADMIN_API + "roles/${roleId}", drafts("")).method("DELETE")
        .willRespondWith().status(204)
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "deleteRole")
  void deleteRoleSucceeds(MockServer mockServer) {
    assertThatCode(() -> administration(mockServer).deleteRole(ADMIN_ACCOUNT, AdministrationExamples.DRAFTS_ROLE_ID))
        .doesNotThrowAnyException();
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact searchRolePermissions(PactDslWithProvider builder) {
    var body = new PactDslJsonBody();
    var results = body.array("results");
    readUsers(results.object(), AdministrationExamples.EDITORS_PERMISSION_ID).closeObject();
    results.closeArray();
    return administratorOk(asAdministrator(builder, "a search of a role's permissions, as an administrator",
            ContractFixtures.ROLE_WITH_PERMISSION)
            .pathFromProviderState(ADMIN_API + "roles/${roleId}/permissions", editors("/permissions"))
            .method("GET").query("page=1&pageSize=25"),
        200, page(body, 1))
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "searchRolePermissions")
  void searchRolePermissionsAnswersThePermissionsWithTheirClaims(MockServer mockServer) {
    var page = administration(mockServer).searchRolePermissions(ADMIN_ACCOUNT, AdministrationExamples.EDITORS_ROLE_ID,
        null, 1, 25);

    assertThat(page.getResults()).singleElement().satisfies(permission -> {
      assertThat(permission.getId()).isEqualTo(AdministrationExamples.EDITORS_PERMISSION_ID);
      assertThat(permission.getPermissibleName()).isEqualTo("users");
      assertThat(permission.getClaims()).containsExactly("users:read");
    });
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact createRolePermission(PactDslWithProvider builder) {
    return administratorOk(asAdministrator(builder, "a permission given to a role by an administrator",
            ContractFixtures.CHANGEABLE_ROLE)
            .pathFromProviderState(ADMIN_API + "roles/${roleId}/permissions", drafts("/permissions")).method("POST")
            .matchHeader("Content-Type", JSON + ".*", JSON)
            .body(new PactDslJsonBody().stringValue("permissibleName", "users").booleanValue("read", true)),
        201, readUsers(new PactDslJsonBody(), AdministrationExamples.NEW_PERMISSION_ID))
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "createRolePermission")
  void createRolePermissionAnswersThePermissionWithItsClaims(MockServer mockServer) {
    var permission = administration(mockServer).createRolePermission(ADMIN_ACCOUNT,
        AdministrationExamples.DRAFTS_ROLE_ID, new PermissionInput().permissibleName("users").read(true));

    assertThat(permission.getId()).isEqualTo(AdministrationExamples.NEW_PERMISSION_ID);
    assertThat(permission.getRead()).isTrue();
    assertThat(permission.getCreate()).isFalse();
    assertThat(permission.getClaims()).containsExactly("users:read");
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact getRolePermission(PactDslWithProvider builder) {
    var body = new PactDslJsonBody()
        .valueFromProviderState("id", "${permissionId}", AdministrationExamples.EDITORS_PERMISSION_ID);
    return administratorOk(asAdministrator(builder, "a read of a permission of a role, as an administrator",
            ContractFixtures.ROLE_WITH_PERMISSION)
            .pathFromProviderState(ADMIN_API + "roles/${roleId}/permissions/${permissionId}",
                editors("/permissions/" + AdministrationExamples.EDITORS_PERMISSION_ID))
            .method("GET"),
        200, flags(body, "users", false, true, false, false, "users:read"))
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "getRolePermission")
  void getRolePermissionAnswersItsFlags(MockServer mockServer) {
    var permission = administration(mockServer).getRolePermission(ADMIN_ACCOUNT,
        AdministrationExamples.EDITORS_ROLE_ID, AdministrationExamples.EDITORS_PERMISSION_ID);

    assertThat(permission.getPermissibleName()).isEqualTo("users");
    assertThat(permission.getRead()).isTrue();
    assertThat(permission.getUpdate()).isFalse();
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact updateRolePermission(PactDslWithProvider builder) {
    var request = new PactDslJsonBody().stringValue("permissibleName", APP_PERMISSIBLE).booleanValue("create", true)
        .booleanValue("read", true).booleanValue("update", true).booleanValue("delete", false);
    var body = new PactDslJsonBody()
        .valueFromProviderState("id", "${permissionId}", AdministrationExamples.DRAFTS_PERMISSION_ID);
    return administratorOk(asAdministrator(builder, "a change of a permission of a role by an administrator",
            ContractFixtures.CHANGEABLE_ROLE)
            .pathFromProviderState(ADMIN_API + "roles/${roleId}/permissions/${permissionId}",
                drafts("/permissions/" + AdministrationExamples.DRAFTS_PERMISSION_ID))
            .method("PUT").matchHeader("Content-Type", JSON + ".*", JSON).body(request),
        200, flags(body, APP_PERMISSIBLE, true, true, true, false, "meshes:create", "meshes:read", "meshes:update"))
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "updateRolePermission")
  void updateRolePermissionAnswersThePermissionAsItNowIs(MockServer mockServer) {
    var permission = administration(mockServer).updateRolePermission(ADMIN_ACCOUNT,
        AdministrationExamples.DRAFTS_ROLE_ID, AdministrationExamples.DRAFTS_PERMISSION_ID, new PermissionInput()
            .permissibleName(APP_PERMISSIBLE).create(true).read(true).update(true).delete(false));

    assertThat(permission.getUpdate()).isTrue();
    assertThat(permission.getClaims()).containsExactly("meshes:create", "meshes:read", "meshes:update");
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact deleteRolePermission(PactDslWithProvider builder) {
    return asAdministrator(builder, "a permission taken from a role by an administrator",
            ContractFixtures.CHANGEABLE_ROLE)
        .pathFromProviderState(ADMIN_API + "roles/${roleId}/permissions/${permissionId}",
            drafts("/permissions/" + AdministrationExamples.DRAFTS_PERMISSION_ID))
        .method("DELETE")
        .willRespondWith().status(204)
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "deleteRolePermission")
  void deleteRolePermissionSucceeds(MockServer mockServer) {
    assertThatCode(() -> administration(mockServer).deleteRolePermission(ADMIN_ACCOUNT,
        AdministrationExamples.DRAFTS_ROLE_ID, AdministrationExamples.DRAFTS_PERMISSION_ID))
        .doesNotThrowAnyException();
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact searchPermissibles(PactDslWithProvider builder) {
    var body = new PactDslJsonBody();
    var results = body.array("results");
    // ordered by name: the app's meshes, then the server's own roles and users
    for (var name : List.of(APP_PERMISSIBLE, "roles", "users")) {
      results.object().stringValue("name", name).booleanValue("canCreate", true).booleanValue("canRead", true)
          .booleanValue("canUpdate", true).booleanValue("canDelete", true).closeObject();
    }
    results.closeArray();
    return administratorOk(asAdministrator(builder, "a search of the permissibles, as an administrator")
            .path(ADMIN_API + "permissibles").method("GET").query("page=1&pageSize=25"),
        200, page(body, 3))
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "searchPermissibles")
  void searchPermissiblesAnswersTheAppsAndTheServersOwn(MockServer mockServer) {
    var page = administration(mockServer).searchPermissibles(ADMIN_ACCOUNT, null, 1, 25);

    assertThat(page.getResults()).extracting(Permissible::getName).containsExactly(APP_PERMISSIBLE, "roles", "users");
    assertThat(page.getTotalRecords()).isEqualTo(3L);
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact addRoleUsers(PactDslWithProvider builder) {
    return asAdministrator(builder, "a role given to a user by an administrator", ContractFixtures.CHANGEABLE_ROLE)
        .pathFromProviderState(ADMIN_API + "roles/${roleId}/users", drafts("/users")).method("POST")
        .matchHeader("Content-Type", JSON + ".*", JSON).body(tessReference())
        .willRespondWith().status(204)
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "addRoleUsers")
  void addRoleUsersSucceeds(MockServer mockServer) {
    assertThatCode(() -> administration(mockServer).addRoleUsers(ADMIN_ACCOUNT, AdministrationExamples.DRAFTS_ROLE_ID,
        new RoleUsers().addUsersItem(new UserReference().id(TARGET_USER_ID))))
        .doesNotThrowAnyException();
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact removeRoleUsers(PactDslWithProvider builder) {
    // MeshyDB's SDKs send a DELETE with a body
    return asAdministrator(builder, "a role taken from a user by an administrator",
            ContractFixtures.ROLE_WITH_PERMISSION)
        .pathFromProviderState(ADMIN_API + "roles/${roleId}/users", editors("/users")).method("DELETE")
        .matchHeader("Content-Type", JSON + ".*", JSON).body(tessReference())
        .willRespondWith().status(204)
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "removeRoleUsers")
  void removeRoleUsersSucceeds(MockServer mockServer) {
    assertThatCode(() -> administration(mockServer).removeRoleUsers(ADMIN_ACCOUNT,
        AdministrationExamples.EDITORS_ROLE_ID, new RoleUsers().addUsersItem(new UserReference().id(TARGET_USER_ID))))
        .doesNotThrowAnyException();
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact searchUsersWithoutPermission(PactDslWithProvider builder) {
    return builder.given(ContractFixtures.PLAIN_USER_SIGNED_IN)
        .uponReceiving("a search of the users by a user whose roles do not allow reading users")
        .path(ADMIN_API + "users")
        .method("GET")
        .headerFromProviderState("Authorization", "Bearer ${accessToken}",
            "Bearer " + AdministrationExamples.PLAIN_USER_ACCESS_TOKEN)
        .willRespondWith()
        .status(403)
        .matchHeader("Content-Type", JSON + ".*", JSON)
        .headers(Map.of("Cache-Control", "no-store",
            "WWW-Authenticate", "Bearer realm=\"meshy-auth\", error=\"insufficient_scope\""))
        .body(meshyError("insufficient_scope", "User has insufficent permission to read users."))
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "searchUsersWithoutPermission")
  void searchUsersWithoutPermissionIsForbiddenWithMeshyDbsMessage(MockServer mockServer) {
    var users = GeneratedClients.withBearer(mockServer.getUrl(), AdministrationApi.class,
        AdministrationExamples.PLAIN_USER_ACCESS_TOKEN);

    assertThatThrownBy(() -> users.searchUsers(ADMIN_ACCOUNT, null, null, null, null, null, null))
        .isInstanceOfSatisfying(FeignException.class, e -> {
          assertThat(e.status()).isEqualTo(403);
          var body = GeneratedClients.errorBody(e, BearerError.class);
          assertThat(body.getError()).isEqualTo("insufficient_scope");
          assertThat(body.getMessage()).isEqualTo("User has insufficent permission to read users.");
        });
  }

  @Pact(consumer = ProviderStates.CONSUMER)
  V4Pact searchUsersWithoutToken(PactDslWithProvider builder) {
    return builder.given(ContractFixtures.ADMINISTRATION_ACCOUNT)
        .uponReceiving("a search of the users without an access token")
        .path(ADMIN_API + "users")
        .method("GET")
        .willRespondWith()
        .status(401)
        .matchHeader("Content-Type", JSON + ".*", JSON)
        .headers(Map.of("Cache-Control", "no-store", "WWW-Authenticate", "Bearer realm=\"meshy-auth\""))
        .body(meshyError("invalid_token", "User is not authorized to make call."))
        .toPact(V4Pact.class);
  }

  @Test
  @PactTestFor(pactMethod = "searchUsersWithoutToken")
  void searchUsersWithoutTokenIsNotAuthorizedWithMeshyDbsMessage(MockServer mockServer) {
    var users = GeneratedClients.of(mockServer.getUrl(), AdministrationApi.class);

    assertThatThrownBy(() -> users.searchUsers(ADMIN_ACCOUNT, null, null, null, null, null, null))
        .isInstanceOfSatisfying(FeignException.class, e -> {
          assertThat(e.status()).isEqualTo(401);
          var body = GeneratedClients.errorBody(e, BearerError.class);
          assertThat(body.getError()).isEqualTo("invalid_token");
          assertThat(body.getMessage()).isEqualTo("User is not authorized to make call.");
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

  private static PactDslResponse serviceLoginSucceeds(PactDslWithProvider builder) {
    return clientCredentialsGrant(builder.given(ContractFixtures.SERVICE_CLIENT)
            .uponReceiving("a client_credentials grant of a confidential client, its secret in the Basic scheme"),
            SERVICE_SECRET)
        .willRespondWith()
        .status(200)
        .matchHeader("Content-Type", JSON + ".*", JSON)
        .headers(Map.of("Cache-Control", "no-store", "Pragma", "no-cache"))
        .body(new PactDslJsonBody()
            .stringMatcher("access_token", JWT, EXAMPLE_SERVICE_ACCESS_TOKEN)
            .integerType("expires_in", 3600)
            .stringValue("token_type", "Bearer")
            .stringValue("scope", SERVICE_SCOPE));
  }

  /** RFC 6749 section 4.4.2, the client's credentials in the Basic scheme (section 2.3.1), as the SDK sends them. */
  private static PactDslRequestWithPath clientCredentialsGrant(PactDslRequestWithoutPath request, String secret) {
    return request.path("/" + ACCOUNT + "/connect/token")
        .method("POST")
        .headers("Authorization", basic(SERVICE_CLIENT_ID, secret))
        .body(form("grant_type", "client_credentials"), FORM);
  }

  /** RFC 7662 section 2.1, the service's credentials in the Basic scheme. */
  private static PactDslRequestWithPath introspection(PactDslRequestWithoutPath request, FormPostBuilder form) {
    return request.path("/" + ACCOUNT + "/connect/introspect")
        .method("POST")
        .headers("Authorization", basic(SERVICE_CLIENT_ID, SERVICE_SECRET))
        .body(form);
  }

  /** A form whose fields may come from a provider state; of no charset, as the SDK's other forms (UTF-8 is sent). */
  private static FormPostBuilder tokenForm() {
    return new FormPostBuilder(new ContentType(FORM));
  }

  private static String basic(String clientId, String secret) {
    var joined = URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
        + URLEncoder.encode(secret, StandardCharsets.UTF_8);
    return "Basic " + Base64.getEncoder().encodeToString(joined.getBytes(StandardCharsets.UTF_8));
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

  private static MeshyClient signUpClient(MockServer mockServer, String account) {
    return client(mockServer, account, ContractFixtures.clientId(account));
  }

  private static PactDslResponse questionUserLogin(PactDslWithProvider builder) {
    return tokens(passwordGrant(builder.given(ContractFixtures.QUESTION_USER)
            .uponReceiving("a password login of a user of an account that verifies by question"),
            SIGNUP_QUESTION_ACCOUNT, ContractFixtures.clientId(SIGNUP_QUESTION_ACCOUNT), QUESTION_USERNAME,
            QUESTION_PASSWORD),
        EXAMPLE_ROTATED_REFRESH_TOKEN);
  }

  private static PactDslRequestWithPath usersPost(PactDslRequestWithoutPath request, String account,
      String operation, PactDslJsonBody body) {
    return request.path("/" + account + "/users/" + operation)
        .method("POST")
        .matchHeader("Content-Type", JSON + ".*", JSON)
        .body(body);
  }

  private static PactDslResponse exists(PactDslRequestWithoutPath request, String username, boolean exists) {
    return request.path("/" + SIGNUP_QUESTION_ACCOUNT + "/users/" + username + "/exists")
        .method("GET")
        .willRespondWith()
        .status(200)
        .matchHeader("Content-Type", JSON + ".*", JSON)
        .body(new PactDslJsonBody().booleanValue("exists", exists));
  }

  private static PactDslResponse validity(PactDslRequestWithPath request, boolean valid) {
    return request.willRespondWith()
        .status(200)
        .matchHeader("Content-Type", JSON + ".*", JSON)
        .body(new PactDslJsonBody().booleanValue("isValid", valid));
  }

  /** What the SDK sends to register: a security question where the account verifies by question. */
  private static PactDslJsonBody registration(String username, String password, boolean withQuestion) {
    var body = new PactDslJsonBody()
        .stringValue("username", username)
        .stringValue("newPassword", password);
    if (withQuestion) {
      body.minArrayLike("securityQuestions", 1, 1)
          .stringValue("question", FIRST_QUESTION)
          .stringValue("answer", FIRST_ANSWER)
          .closeObject()
          .closeArray();
    } else {
      body.array("securityQuestions").closeArray();
    }
    return body;
  }

  /** The hash of quinn's reset sent back with a code: hash and expiry as the provider state made them. */
  private static PactDslJsonBody issuedCheck(String code) {
    return new PactDslJsonBody()
        .stringValue("username", QUESTION_USERNAME)
        .integerType("attempt", 1)
        .valueFromProviderState("hash", "${hash}", EXAMPLE_HASH)
        .valueFromProviderState("expires", "${expires}", EXAMPLE_EXPIRES)
        .stringValue("hint", FIRST_QUESTION)
        .stringValue("verificationCode", code);
  }

  /** A hash of the right shape that the server never made, valid for decades: refused as invalid. */
  private static PactDslJsonBody forgedCheck(String username, String hint, String code) {
    return new PactDslJsonBody()
        .stringValue("username", username)
        .integerType("attempt", 1)
        .stringValue("hash", FORGED_HASH)
        .stringValue("expires", FAR_EXPIRES)
        .stringValue("hint", hint)
        .stringValue("verificationCode", code);
  }

  private static VerificationHash exampleHash() {
    return new VerificationHash(QUESTION_USERNAME, 1, EXAMPLE_HASH, Instant.parse(EXAMPLE_EXPIRES),
        Optional.of(FIRST_QUESTION));
  }

  private static VerificationHash forgedHash(String username, String hint) {
    return new VerificationHash(username, 1, FORGED_HASH, Instant.parse(FAR_EXPIRES), Optional.of(hint));
  }

  /** A refusal of a users/* operation: RFC 6749 section 5.2's fields and MeshyDB's message. */
  private static PactDslResponse signUpError(PactDslRequestWithPath request, int status, String error,
      String message) {
    return request.willRespondWith()
        .status(status)
        .matchHeader("Content-Type", JSON + ".*", JSON)
        .body(new PactDslJsonBody()
            .stringValue("error", error)
            .stringValue("error_description", message)
            .stringValue("message", message));
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

  // --- building blocks of the administration interactions ---

  private static AdministrationApi administration(MockServer mockServer) {
    return GeneratedClients.withBearer(mockServer.getUrl(), AdministrationApi.class,
        AdministrationExamples.ADMIN_ACCESS_TOKEN);
  }

  /** An interaction of ada's, the administrator: her bearer from her state, and the other states named. */
  private static PactDslRequestWithoutPath asAdministrator(PactDslWithProvider builder, String description,
      String... states) {
    var given = builder.given(ContractFixtures.ADMINISTRATOR_SIGNED_IN);
    for (var state : states) {
      given = given.given(state);
    }
    return given.uponReceiving(description)
        .headerFromProviderState("Authorization", "Bearer ${accessToken}",
            "Bearer " + AdministrationExamples.ADMIN_ACCESS_TOKEN);
  }

  /** The example path of the role editors (the state answers the live id), with {@code rest} after it. */
  private static String editors(String rest) {
    return ADMIN_API + "roles/" + AdministrationExamples.EDITORS_ROLE_ID + rest;
  }

  private static String drafts(String rest) {
    return ADMIN_API + "roles/" + AdministrationExamples.DRAFTS_ROLE_ID + rest;
  }

  /** An answer of the administration API: never cached. */
  private static PactDslResponse administratorOk(PactDslRequestWithPath request, int status, DslPart body) {
    return request.willRespondWith()
        .status(status)
        .matchHeader("Content-Type", JSON + ".*", JSON)
        .headers(Map.of("Cache-Control", "no-store"))
        .body(body);
  }

  /** The first page of 25, holding {@code totalRecords} in all. */
  private static PactDslJsonBody page(PactDslJsonBody body, int totalRecords) {
    return body.numberValue("page", 1).numberValue("pageSize", 25).numberValue("totalRecords", totalRecords);
  }

  /** tess, as the fixtures keep her (her last name aside): holder of the role editors since some instant. */
  private static PactDslJsonBody tess(PactDslJsonBody user, String lastName) {
    user.stringValue("id", TARGET_USER_ID)
        .stringValue("username", TARGET_USERNAME)
        .stringValue("firstName", TARGET_FIRST_NAME)
        .stringValue("lastName", lastName)
        .booleanValue("verified", true)
        .booleanValue("isActive", true)
        .booleanValue("anonymous", false);
    var roles = user.array("roles");
    roles.object()
        .stringValue("name", EDITORS_ROLE)
        .stringMatcher("addedDate", INSTANT, AdministrationExamples.ADDED_DATE)
        .closeObject();
    roles.closeArray();
    return user;
  }

  /** The role's id as the provider state answers it: the store makes it. */
  private static PactDslJsonBody roleIdFromState(PactDslJsonBody role, String exampleId) {
    return role.valueFromProviderState("id", "${roleId}", exampleId);
  }

  private static PactDslJsonBody role(PactDslJsonBody role, String name, String description, int numberOfUsers) {
    return role.stringValue("name", name).stringValue("description", description)
        .numberValue("numberOfUsers", numberOfUsers);
  }

  /** The permission to read users, as editors hold it. */
  private static PactDslJsonBody readUsers(PactDslJsonBody permission, String exampleId) {
    return flags(permission.stringMatcher("id", AdministrationExamples.OBJECT_ID, exampleId), "users", false, true,
        false, false, "users:read");
  }

  /** A permission's permissible, flags and the claims they put in its holders' tokens. */
  private static PactDslJsonBody flags(PactDslJsonBody permission, String permissible, boolean create, boolean read,
      boolean update, boolean delete, String... claims) {
    permission.stringValue("permissibleName", permissible)
        .booleanValue("create", create)
        .booleanValue("read", read)
        .booleanValue("update", update)
        .booleanValue("delete", delete);
    var claimed = permission.array("claims");
    for (var claim : claims) {
      claimed.stringValue(claim);
    }
    claimed.closeArray();
    return permission;
  }

  /** What MeshyDB's SDKs send to give or take a role: the users by id. */
  private static PactDslJsonBody tessReference() {
    var body = new PactDslJsonBody();
    var users = body.array("users");
    users.object().stringValue("id", TARGET_USER_ID).closeObject();
    users.closeArray();
    return body;
  }

  /** A refusal on the API's paths: RFC 6750 section 3.1's error, and MeshyDB's message. */
  private static PactDslJsonBody meshyError(String error, String message) {
    return new PactDslJsonBody()
        .stringValue("error", error)
        .stringValue("error_description", message)
        .stringValue("message", message);
  }

  private static String form(String... namesAndValues) {
    var pairs = new ArrayList<String>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      pairs.add(namesAndValues[i] + "=" + URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
    }
    return String.join("&", pairs);
  }
}
