package io.meshyauth.client;

import static io.meshyauth.client.TestServer.ACCOUNT;
import static io.meshyauth.client.TestServer.DEVICE;
import static io.meshyauth.client.TestServer.PASSWORD;
import static io.meshyauth.client.TestServer.USERNAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.meshyauth.server.store.Account;
import io.meshyauth.server.store.SecurityQuestion;
import io.meshyauth.server.store.Stores;
import io.meshyauth.server.store.User;
import io.meshyauth.server.store.UserProfile;
import io.meshyauth.server.store.UserStore;
import io.meshyauth.server.store.jdbc.JdbcStores;
import io.meshyauth.server.values.Scope;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoginTest {
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
  void loginWithPasswordReturnsAccessTokenRefreshTokenExpiryAndScope() {
    var clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

    var connection = server.client().clock(clock).build().loginWithPassword(USERNAME, PASSWORD);

    assertThat(connection.accessToken()).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
    assertThat(connection.refreshToken()).hasValueSatisfying(token -> assertThat(token).isNotBlank());
    assertThat(connection.accessTokenExpiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
    assertThat(connection.scope().split(" ")).containsExactlyInAnyOrder("meshy.api", "offline_access");
  }

  @Test
  void loginAnonymouslyLogsInTheAnonymousUserWithTheStaticPassword() {
    var recorder = new RecordingInterceptor();

    var connection = server.client().okHttpClient(recorder.httpClient()).build().loginAnonymously(DEVICE);

    assertThat(connection.accessToken()).isNotBlank();
    assertThat(recorder.exchanges()).singleElement()
        .satisfies(e -> assertThat(e.form()).containsEntry("username", DEVICE).containsEntry("password", "nopassword"));
  }

  @Test
  void loginWithWrongPasswordThrowsInvalidGrant() {
    var client = server.client().build();

    var e = catchThrowableOfType(OAuthErrorException.class, () -> client.loginWithPassword(USERNAME, "wrong"));

    assertThat(e.status()).isEqualTo(400);
    assertThat(e.error()).isEqualTo("invalid_grant");
    assertThat(e.description()).isEqualTo("Username or password is invalid.");
  }

  @Test
  void loginWithUnknownUserThrowsInvalidGrant() {
    var client = server.client().build();

    var e = catchThrowableOfType(OAuthErrorException.class, () -> client.loginWithPassword("mallory", PASSWORD));

    assertThat(e.error()).isEqualTo("invalid_grant");
    assertThat(e.description()).isEqualTo("Username or password is invalid.");
  }

  @Test
  void loginOfInactiveUserThrowsInvalidGrant() {
    server.provisioning().setActive(ACCOUNT, USERNAME, false);
    var client = server.client().build();

    var e = catchThrowableOfType(OAuthErrorException.class, () -> client.loginWithPassword(USERNAME, PASSWORD));

    assertThat(e.error()).isEqualTo("invalid_grant");
    assertThat(e.description()).isEqualTo("User is no longer active.");
  }

  @Test
  void loginWithUnknownPublicKeyThrowsInvalidClient() {
    var client = server.client(ACCOUNT, "not-a-key").build();

    var e = catchThrowableOfType(OAuthErrorException.class, () -> client.loginWithPassword(USERNAME, PASSWORD));

    assertThat(e.status()).isEqualTo(400);
    assertThat(e.error()).isEqualTo("invalid_client");
    assertThat(e.description()).isEqualTo("Client id is invalid.");
  }

  @Test
  void loginToAccountThatDoesNotAllowTheMeshyScopesThrowsInvalidScope() {
    server.provisioning().createAccount(new Account("narrow", Set.of("narrow-key"), Scope.of(List.of("openid")),
        Duration.ofHours(1), Duration.ofDays(1), 100));
    server.provisioning().createAnonymousUser("narrow", DEVICE);
    var client = server.client("narrow", "narrow-key").build();

    var e = catchThrowableOfType(OAuthErrorException.class, () -> client.loginAnonymously(DEVICE));

    assertThat(e.error()).isEqualTo("invalid_scope");
  }

  @Test
  void serverFailureThrowsMeshyAuthExceptionWithTheStatus() {
    var healthy = JdbcStores.temporary();
    try (var broken = TestServer.start(new Stores(healthy.accounts(), new UnavailableUsers(healthy.users()),
        healthy.refreshTokens(), healthy.signingKeys(), healthy))) {
      var client = broken.client().build();

      var e = catchThrowableOfType(MeshyAuthException.class, () -> client.loginAnonymously(DEVICE));

      assertThat(e).isExactlyInstanceOf(MeshyAuthException.class);
      assertThat(e.status()).isEqualTo(500);
    }
  }

  @Test
  void unreachableServerThrowsStatusZeroWithTheIoFailureAsCause() throws IOException {
    var client = MeshyClient.builder(ACCOUNT, TestServer.PUBLIC_KEY).baseUrl("http://127.0.0.1:" + unusedPort())
        .build();

    var e = catchThrowableOfType(MeshyAuthException.class, () -> client.loginWithPassword(USERNAME, PASSWORD));

    assertThat(e.status()).isZero();
    assertThat(e).hasCauseInstanceOf(IOException.class);
  }

  @Test
  void loginWithRefreshStartsAConnectionFromAStoredRefreshToken() {
    var client = server.client().build();
    var stored = client.loginWithPassword(USERNAME, PASSWORD).refreshToken().orElseThrow();

    var connection = client.loginWithRefresh(stored);

    assertThat(connection.accessToken()).isNotBlank();
    assertThat(connection.refreshToken()).hasValueSatisfying(t -> assertThat(t).isNotEqualTo(stored));
    assertThat(connection.scope().split(" ")).containsExactlyInAnyOrder("meshy.api", "offline_access");
  }

  static int unusedPort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** A user store that fails with a fault of its own (not an outage, which is a 503): logins fail with 500. */
  private record UnavailableUsers(UserStore provisioned) implements UserStore {
    @Override
    public Optional<User> findUser(String accountName, String username) {
      throw new IllegalStateException("user database unavailable");
    }

    @Override
    public Optional<User> findUserById(String accountName, String userId) {
      throw new IllegalStateException("user database unavailable");
    }

    @Override
    public void createUser(User user) {
      provisioned.createUser(user);
    }

    @Override
    public void createUser(User user, List<SecurityQuestion> questions) {
      provisioned.createUser(user, questions);
    }

    @Override
    public List<User> createUsers(String accountName, List<User> users) {
      return provisioned.createUsers(accountName, users);
    }

    @Override
    public Map<String, User> findUsers(String accountName, Collection<String> usernames) {
      throw new IllegalStateException("user database unavailable");
    }

    @Override
    public void updateUser(User user) {
      provisioned.updateUser(user);
    }

    @Override
    public void updateProfile(String accountName, String userId, UserProfile profile) {
      provisioned.updateProfile(accountName, userId, profile);
    }

    @Override
    public void updateDetails(String accountName, String userId, UserProfile profile) {
      provisioned.updateDetails(accountName, userId, profile);
    }

    @Override
    public PasswordChange changePassword(String accountName, String userId, String expectedHash, String newHash,
        Optional<String> keptFamily, Instant now) {
      throw new IllegalStateException("user database unavailable");
    }

    @Override
    public boolean markVerified(String accountName, String userId) {
      throw new IllegalStateException("user database unavailable");
    }

    @Override
    public List<SecurityQuestion> securityQuestions(String accountName, String userId) {
      throw new IllegalStateException("user database unavailable");
    }

    @Override
    public void replaceSecurityQuestions(String accountName, String userId, List<SecurityQuestion> questions) {
      throw new IllegalStateException("user database unavailable");
    }

    @Override
    public boolean deleteUser(String accountName, String userId) {
      return provisioned.deleteUser(accountName, userId);
    }

    @Override
    public List<User> listUsers(String accountName) {
      return provisioned.listUsers(accountName);
    }
  }
}
