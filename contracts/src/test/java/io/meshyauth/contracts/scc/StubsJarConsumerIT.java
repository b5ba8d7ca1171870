package io.meshyauth.contracts.scc;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.meshyauth.contracts.OAuthErrors.assertErrorBody;
import static io.meshyauth.contracts.OAuthErrors.assertOAuthError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import feign.FeignException;
import io.meshyauth.client.Introspection;
import io.meshyauth.client.MeshyClient;
import io.meshyauth.client.NewUser;
import io.meshyauth.client.NotFoundException;
import io.meshyauth.client.OAuthErrorException;
import io.meshyauth.client.RateLimitedException;
import io.meshyauth.client.RetryPolicy;
import io.meshyauth.client.generated.api.AdministrationApi;
import io.meshyauth.client.generated.api.DiscoveryApi;
import io.meshyauth.client.generated.api.UsersApi;
import io.meshyauth.client.generated.model.AnonymousRegistration;
import io.meshyauth.client.generated.model.BearerError;
import io.meshyauth.client.generated.model.NotFoundError;
import io.meshyauth.client.generated.model.Permissible;
import io.meshyauth.client.generated.model.RoleUsers;
import io.meshyauth.client.generated.model.UserReference;
import io.meshyauth.contracts.AdministrationExamples;
import io.meshyauth.contracts.GeneratedClients;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a consumer of the published stubs does: load the WireMock mappings from the stubs jar (built in the
 * package phase) into plain WireMock, with no Spring
 * and no server of ours, and run the SDK against it (and the generated Feign clients, for the operations the
 * SDK does not offer yet). A request shaped differently from the contracts finds no stub and fails here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StubsJarConsumerIT {
  private static final String ACCOUNT = "acme";
  private static final String CLIENT_ID = "acme-public-key";
  private static final String ADMIN_ACCOUNT = "admin-demo";
  // the examples the contracts' responses carry
  private static final String LOGIN_ACCESS_TOKEN =
      "eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";
  private static final String LOGIN_REFRESH_TOKEN = "alice-login-refresh-token";

  private final WireMockServer wireMock = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
  private List<StubMapping> stubs;

  @BeforeAll
  void startWireMockWithTheStubsJar() {
    stubs = StubsJar.mappings().values().stream().map(StubMapping::buildFrom).toList();
    wireMock.start();
    stubs.forEach(wireMock::addStubMapping);
  }

  @AfterEach
  void everyRequestMatchedAStub() {
    var unmatched = wireMock.findAllUnmatchedRequests();
    wireMock.resetRequests();
    // the refresh stubs keep the rotation state of alice's token: each test starts from the login
    wireMock.resetScenarios();
    assertThat(unmatched).as("requests that no stub of the stubs jar matched").isEmpty();
  }

  @AfterAll
  void stopWireMock() {
    wireMock.stop();
  }

  @Test
  void stubsJarHoldsAMappingPerContract() {
    assertThat(StubsJar.mappings().keySet().stream().filter(name -> !name.contains(".variant-")))
        .isNotEmpty().hasSameSizeAs(StubsJar.contracts().keySet());
  }

  @Test
  void loginThenRefreshThenSignOutRunsOnTheStubs() {
    var connection = client(ACCOUNT, CLIENT_ID).loginWithPassword("alice", "secret");

    connection.refresh();
    assertThat(connection.refreshToken()).contains("alice-refreshed-refresh-token");
    connection.signOut();

    wireMock.verify(postRequestedFor(urlEqualTo("/acme/connect/revocation"))
        .withFormParam("token", equalTo("alice-refreshed-refresh-token")));
  }

  @Test
  void refreshTokenOfTheLoginIsRefusedOnceRotated() {
    var client = client(ACCOUNT, CLIENT_ID);
    client.loginWithRefresh(LOGIN_REFRESH_TOKEN);

    assertThatThrownBy(() -> client.loginWithRefresh(LOGIN_REFRESH_TOKEN))
        .isInstanceOfSatisfying(OAuthErrorException.class,
            e -> assertOAuthError(e, "invalid_grant", "Refresh token is invalid."));
  }

  @Test
  void loginWithPasswordGetsTheStubbedTokens() {
    var connection = client(ACCOUNT, CLIENT_ID).loginWithPassword("alice", "secret");

    assertThat(connection.accessToken()).isEqualTo(LOGIN_ACCESS_TOKEN);
    assertThat(connection.refreshToken()).contains(LOGIN_REFRESH_TOKEN);
    assertThat(connection.scope()).isEqualTo("meshy.api offline_access");
  }

  @Test
  void loginWithWrongPasswordThrowsInvalidGrant() {
    assertThatThrownBy(() -> client(ACCOUNT, CLIENT_ID).loginWithPassword("alice", "not-the-password"))
        .isInstanceOfSatisfying(OAuthErrorException.class,
            e -> assertOAuthError(e, "invalid_grant", "Username or password is invalid."));
  }

  @Test
  void loginWithUnknownClientThrowsInvalidClient() {
    assertThatThrownBy(() -> client(ACCOUNT, "unknown-public-key").loginWithPassword("alice", "secret"))
        .isInstanceOfSatisfying(OAuthErrorException.class,
            e -> assertOAuthError(e, "invalid_client", "Client id is invalid."));
  }

  @Test
  void loginOfInactiveUserThrowsInvalidGrant() {
    assertThatThrownBy(() -> client(ACCOUNT, CLIENT_ID).loginWithPassword("bob", "bob-secret"))
        .isInstanceOfSatisfying(OAuthErrorException.class,
            e -> assertOAuthError(e, "invalid_grant", "User is no longer active."));
  }

  @Test
  void loginBeyondTheAccountsScopesThrowsInvalidScope() {
    assertThatThrownBy(() -> client("narrow", "narrow-public-key").loginWithPassword("alice", "secret"))
        .isInstanceOfSatisfying(OAuthErrorException.class,
            e -> assertOAuthError(e, "invalid_scope", "Invalid scope."));
  }

  @Test
  void loginAnonymouslyGetsTheStubbedTokens() {
    var connection = client(ACCOUNT, CLIENT_ID).loginAnonymously("device-1");

    assertThat(connection.accessToken()).startsWith("eyJ");
    assertThat(connection.refreshToken()).isPresent();
  }

  @Test
  void loginWithRefreshGetsTheStubbedTokens() {
    var connection = client(ACCOUNT, CLIENT_ID).loginWithRefresh(LOGIN_REFRESH_TOKEN);

    assertThat(connection.accessToken()).isEqualTo(LOGIN_ACCESS_TOKEN);
    assertThat(connection.refreshToken()).isPresent();
  }

  @Test
  void loginWithExpiredRefreshTokenThrowsInvalidGrant() {
    assertThatThrownBy(() -> client(ACCOUNT, CLIENT_ID).loginWithRefresh("alice-expired-refresh-token"))
        .isInstanceOfSatisfying(OAuthErrorException.class,
            e -> assertOAuthError(e, "invalid_grant", "Refresh token is expired."));
  }

  @Test
  void signOutRevokesTheRefreshTokenOfTheLogin() {
    var connection = client(ACCOUNT, CLIENT_ID).loginWithPassword("alice", "secret");

    connection.signOut();

    wireMock.verify(postRequestedFor(urlEqualTo("/acme/connect/revocation"))
        .withFormParam("token", equalTo(LOGIN_REFRESH_TOKEN)));
  }

  @Test
  void aServiceLogsInWithClientCredentialsAndIntrospectsTokensOnTheStubs() {
    var service = client(ACCOUNT, "acme-service").loginWithClientCredentials("acme-service-secret");

    var active = service.introspect(LOGIN_ACCESS_TOKEN);
    var inactive = service.introspect("alice-expired-refresh-token");

    assertThat(service.accessToken()).startsWith("eyJ");
    assertThat(service.scope()).isEqualTo("meshy.api");
    assertThat(active.active()).isTrue();
    assertThat(active.username()).contains("alice");
    assertThat(active.clientId()).contains(CLIENT_ID);
    assertThat(inactive).isEqualTo(Introspection.inactive());
  }

  @Test
  void aServiceWithAWrongSecretThrowsInvalidClientWithStatus401() {
    assertThatThrownBy(() -> client(ACCOUNT, "acme-service").loginWithClientCredentials("not-the-service-secret"))
        .isInstanceOfSatisfying(OAuthErrorException.class, e -> {
          assertThat(e.status()).isEqualTo(401);
          assertThat(e.error()).isEqualTo("invalid_client");
          assertThat(e.description()).isEqualTo("Client authentication failed.");
        });
  }

  @Test
  void loginOverTheAccountLimitThrowsRateLimitedWithRetryAfter() {
    assertThatThrownBy(() -> client("limited", "limited-public-key").loginWithPassword("alice", "secret"))
        .isInstanceOfSatisfying(RateLimitedException.class, e -> {
          assertThat(e.status()).isEqualTo(429);
          assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(60));
        });
  }

  @Test
  void loginWithReplayedRefreshTokenThrowsInvalidGrant() {
    assertThatThrownBy(() -> client(ACCOUNT, CLIENT_ID).loginWithRefresh("alice-rotated-refresh-token"))
        .isInstanceOfSatisfying(OAuthErrorException.class,
            e -> assertOAuthError(e, "invalid_grant", "Refresh token is invalid."));
  }

  @Test
  void loginAfterTooManyFailedLoginsThrowsRateLimitedWithRetryAfter() {
    assertThatThrownBy(() -> client(ACCOUNT, CLIENT_ID).loginWithPassword("carol", "carol-secret"))
        .isInstanceOfSatisfying(RateLimitedException.class, e -> {
          assertThat(e.status()).isEqualTo(429);
          assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(300));
        });
  }

  @Test
  void registerAnonymousUserGetsTheStubbedUser() {
    var user = GeneratedClients.of(wireMock.baseUrl(), UsersApi.class)
        .registerAnonymousUser("open", new AnonymousRegistration().username("device-3"));

    assertThat(user.getId()).isNotBlank();
    assertThat(user.getUsername()).isEqualTo("device-3");
    assertThat(user.getAnonymous()).isTrue();
    assertThat(user.getIsActive()).isTrue();
  }

  @Test
  void registerAnonymousUserWhereDisabledIsInvalidRequest() {
    var users = GeneratedClients.of(wireMock.baseUrl(), UsersApi.class);

    assertThatThrownBy(() -> users.registerAnonymousUser(ACCOUNT, new AnonymousRegistration().username("device-3")))
        .isInstanceOfSatisfying(FeignException.class,
            e -> assertErrorBody(e, "invalid_request", "Anonymous registration is not enabled."));
  }

  @Test
  void registerAnonymousUserWithTakenUsernameIsInvalidRequest() {
    var users = GeneratedClients.of(wireMock.baseUrl(), UsersApi.class);

    assertThatThrownBy(() -> users.registerAnonymousUser("open", new AnonymousRegistration().username("device-2")))
        .isInstanceOfSatisfying(FeignException.class,
            e -> assertErrorBody(e, "invalid_request", "Username must be unique."));
  }

  @Test
  void discoveryGetsTheStubbedEndpoints() {
    var metadata = GeneratedClients.of(wireMock.baseUrl(), DiscoveryApi.class).discovery(ACCOUNT);

    assertThat(metadata.getIssuer()).isEqualTo("http://localhost:8080/acme");
    assertThat(metadata.getTokenEndpoint()).isEqualTo("http://localhost:8080/acme/connect/token");
    assertThat(metadata.getJwksUri()).isEqualTo("http://localhost:8080/acme/.well-known/openid-configuration/jwks");
  }

  @Test
  void jwksGetsAStubbedKeyThatIsAP256PublicKey() {
    var keys = GeneratedClients.of(wireMock.baseUrl(), DiscoveryApi.class).jwks(ACCOUNT).getKeys();

    assertThat(keys).singleElement().satisfies(key -> {
      assertThat(key.getKty()).isEqualTo("EC");
      assertThat(key.getUse()).isEqualTo("sig");
      assertThat(key.getAlg()).isEqualTo("ES256");
      // usable by a resource server: Nimbus refuses coordinates that are not a point of P-256
      assertThatCode(() -> new ECKey.Builder(Curve.P_256, new Base64URL(key.getX()), new Base64URL(key.getY()))
          .keyID(key.getKid())
          .build())
          .doesNotThrowAnyException();
    });
  }

  @Test
  void discoveryOfUnknownAccountIsNotFound() {
    var discovery = GeneratedClients.of(wireMock.baseUrl(), DiscoveryApi.class);

    assertThatThrownBy(() -> discovery.discovery("nowhere"))
        .isInstanceOfSatisfying(FeignException.class, e -> {
          assertThat(e.status()).isEqualTo(404);
          assertThat(GeneratedClients.errorBody(e, NotFoundError.class).getError())
              .isEqualTo("not_found");
        });
  }

  @Test
  void signUpAndRecoveryInQuestionModeRunOnTheStubs() {
    var client = client("signup-question", "signup-question-public-key");

    assertThat(client.checkUserExist("quinn")).isTrue();
    assertThat(client.checkUserExist("newcomer")).isFalse();
    assertThat(client.registerUser(NewUser.builder("newcomer", "newcomer-password")
        .securityQuestion("First pet?", "Rex").build())).isEmpty();
    var reset = client.forgotPassword("quinn");
    assertThat(reset.hint()).contains("First pet?");
    assertThat(reset.hash()).startsWith("v1.");
  }

  @Test
  void signUpRefusalsCarryMeshyDbsMessageOnTheStubs() {
    var client = client("signup-question", "signup-question-public-key");

    assertThatThrownBy(() -> client.forgotPassword("newcomer"))
        .isInstanceOfSatisfying(NotFoundException.class,
            e -> assertThat(e.meshyMessage()).contains("User was not found."));
    assertThatThrownBy(() -> client(ACCOUNT, CLIENT_ID)
            .registerUser(NewUser.builder("newcomer", "newcomer-password").build()))
        .isInstanceOfSatisfying(OAuthErrorException.class,
            e -> assertThat(e.meshyMessage()).contains("Public registration is not enabled."));
  }

  @Test
  void administrationRunsOnTheStubsWithTheIdsTheyAnswer() {
    var admin = GeneratedClients.withBearer(wireMock.baseUrl(), AdministrationApi.class,
        AdministrationExamples.ADMIN_ACCESS_TOKEN);

    var tess = admin.searchUsers(ADMIN_ACCOUNT, "tess", null, null, null, 1, 25).getResults().get(0);
    assertThat(admin.getUser(ADMIN_ACCOUNT, tess.getId()).getRoles()).extracting(role -> role.getName())
        .containsExactly("editors");
    var editors = admin.searchRoles(ADMIN_ACCOUNT, "edit", 1, 25).getResults().get(0);
    assertThat(admin.getRole(ADMIN_ACCOUNT, editors.getId()).getNumberOfUsers()).isEqualTo(1L);
    var permission = admin.searchRolePermissions(ADMIN_ACCOUNT, editors.getId(), null, 1, 25).getResults().get(0);
    assertThat(admin.getRolePermission(ADMIN_ACCOUNT, editors.getId(), permission.getId()).getClaims())
        .containsExactly("users:read");
    admin.removeRoleUsers(ADMIN_ACCOUNT, editors.getId(),
        new RoleUsers().addUsersItem(new UserReference().id(tess.getId())));
    assertThat(admin.searchPermissibles(ADMIN_ACCOUNT, null, 1, 25).getResults()).extracting(Permissible::getName)
        .containsExactly("meshes", "roles", "users");
  }

  @Test
  void administrationRefusalsCarryMeshyDbsMessageOnTheStubs() {
    var plainUser = GeneratedClients.withBearer(wireMock.baseUrl(), AdministrationApi.class,
        AdministrationExamples.PLAIN_USER_ACCESS_TOKEN);
    var withoutToken = GeneratedClients.of(wireMock.baseUrl(), AdministrationApi.class);

    assertThatThrownBy(() -> plainUser.searchUsers(ADMIN_ACCOUNT, null, null, null, null, null, null))
        .isInstanceOfSatisfying(FeignException.class, e -> {
          assertThat(e.status()).isEqualTo(403);
          assertThat(GeneratedClients.errorBody(e, BearerError.class).getMessage())
              .isEqualTo("User has insufficent permission to read users.");
        });
    assertThatThrownBy(() -> withoutToken.searchUsers(ADMIN_ACCOUNT, null, null, null, null, null, null))
        .isInstanceOfSatisfying(FeignException.class, e -> {
          assertThat(e.status()).isEqualTo(401);
          assertThat(GeneratedClients.errorBody(e, BearerError.class).getMessage())
              .isEqualTo("User is not authorized to make call.");
        });
  }

  private MeshyClient client(String account, String clientId) {
    return MeshyClient.builder(account, clientId).baseUrl(wireMock.baseUrl()).retryPolicy(RetryPolicy.none()).build();
  }
}
