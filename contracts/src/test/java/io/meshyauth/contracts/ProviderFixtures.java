package io.meshyauth.contracts;

import io.meshyauth.server.MeshyAuthServer;
import io.meshyauth.server.Provisioning;
import io.meshyauth.server.ServerConfig;
import io.meshyauth.server.config.SettingKeys;
import io.meshyauth.server.config.Settings;
import io.meshyauth.server.oauth.Password;
import io.meshyauth.server.oauth.Scope;
import io.meshyauth.server.store.Account;
import io.meshyauth.server.store.RefreshTokenRecord;
import io.meshyauth.server.store.Stores;
import io.meshyauth.server.token.RefreshTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The real server on a free port over a fresh store of its own, and the provider states the Pact
 * interactions and the Spring Cloud Contract contracts name. Every state adds to the store without
 * disturbing the others, so a test may set up one, several or all of them.
 */
public final class ProviderFixtures implements AutoCloseable {
  public static final String ACCOUNT = "acme";
  public static final String CLIENT_ID = "acme-public-key";
  public static final String USERNAME = "alice";
  public static final String PASSWORD = "secret";
  public static final String INACTIVE_USERNAME = "bob";
  public static final String INACTIVE_PASSWORD = "bob-secret";
  public static final String ANONYMOUS_USERNAME = "device-1";
  /** Live in the store: what the refresh grant examples spend. */
  public static final String REFRESH_TOKEN = "alice-live-refresh-token";
  /**
   * Live in the store too, and the example refresh token of the password login responses, so that a consumer
   * who signs out after that login revokes a token the server knows.
   */
  public static final String LOGIN_REFRESH_TOKEN = "alice-login-refresh-token";
  public static final String EXPIRED_REFRESH_TOKEN = "alice-expired-refresh-token";
  /** An account that allows meshy.api only, so the SDK's request for offline_access is refused. */
  public static final String NARROW_ACCOUNT = "narrow";
  public static final String NARROW_CLIENT_ID = "narrow-public-key";
  /** An account allowed one request a minute, used up before the test runs. */
  public static final String LIMITED_ACCOUNT = "limited";
  public static final String LIMITED_CLIENT_ID = "limited-public-key";

  private static final Scope SDK_SCOPE = Scope.parse("meshy.api offline_access");
  private static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofHours(1);
  private static final Duration REFRESH_TOKEN_LIFETIME = Duration.ofDays(30);

  private final MeshyAuthServer server;

  private ProviderFixtures(MeshyAuthServer server) {
    this.server = server;
  }

  public static ProviderFixtures start() {
    // configured as an operator would; stop at once rather than wait out the shutdown grace for the idle
    // keep-alive connections the test clients leave open (Jetty waits for them, ~1-2 s per server)
    var settings = Settings.load(Optional.empty(), Map.of(), Map.of(
        SettingKeys.PORT, "0",
        SettingKeys.SHUTDOWN_GRACE, "0s",
        // cheap hashing: these tests are about the wire, not the cost of Argon2
        SettingKeys.ARGON2_MEMORY_KIB, "1024",
        SettingKeys.ARGON2_ITERATIONS, "1"));
    return new ProviderFixtures(MeshyAuthServer.start(ServerConfig.from(settings), Stores.inMemory()));
  }

  public int port() {
    return server.port();
  }

  public String baseUrl() {
    return server.baseUrl();
  }

  /** Every state at once: what the Spring Cloud Contract tests run against, whatever the contract. */
  public ProviderFixtures allStates() {
    activeUser();
    inactiveUser();
    anonymousUser();
    liveRefreshToken(REFRESH_TOKEN);
    liveRefreshToken(LOGIN_REFRESH_TOKEN);
    expiredRefreshToken();
    narrowAccountWithUser();
    limitedAccountUsedUp();
    return this;
  }

  public void activeUser() {
    account();
    createUserOnce(ACCOUNT, USERNAME, PASSWORD);
  }

  public void inactiveUser() {
    account();
    createUserOnce(ACCOUNT, INACTIVE_USERNAME, INACTIVE_PASSWORD);
    server.provisioning().setActive(ACCOUNT, INACTIVE_USERNAME, false);
  }

  public void anonymousUser() {
    account();
    if (server.stores().users().findUser(ACCOUNT, ANONYMOUS_USERNAME).isEmpty()) {
      server.provisioning().createAnonymousUser(ACCOUNT, ANONYMOUS_USERNAME);
    }
  }

  public void liveRefreshToken(String value) {
    var now = Instant.now();
    saveRefreshToken(value, now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(30)));
  }

  public void expiredRefreshToken() {
    var now = Instant.now();
    saveRefreshToken(EXPIRED_REFRESH_TOKEN, now.minus(Duration.ofDays(31)), now.minus(Duration.ofDays(1)));
  }

  public void narrowAccountWithUser() {
    if (server.stores().accounts().findAccount(NARROW_ACCOUNT).isEmpty()) {
      server.provisioning().createAccount(new Account(NARROW_ACCOUNT, Set.of(NARROW_CLIENT_ID),
          Scope.of(List.of("meshy.api")), ACCESS_TOKEN_LIFETIME, REFRESH_TOKEN_LIFETIME, 6_000));
    }
    createUserOnce(NARROW_ACCOUNT, USERNAME, PASSWORD);
  }

  /** Creates the account with a limit of one request a minute and spends that request. */
  public void limitedAccountUsedUp() {
    if (server.stores().accounts().findAccount(LIMITED_ACCOUNT).isPresent()) {
      return;
    }
    server.provisioning().createAccount(new Account(LIMITED_ACCOUNT, Set.of(LIMITED_CLIENT_ID),
        Provisioning.DEFAULT_SCOPES, ACCESS_TOKEN_LIFETIME, REFRESH_TOKEN_LIFETIME, 1));
    var spend = HttpRequest.newBuilder(URI.create(baseUrl() + "/" + LIMITED_ACCOUNT + "/connect/revocation"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("token=spent&client_id=" + LIMITED_CLIENT_ID))
        .build();
    try {
      int status = HttpClient.newHttpClient().send(spend, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status != 200) {
        throw new IllegalStateException("spending the one request of " + LIMITED_ACCOUNT + " answered " + status);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not spend the one request of " + LIMITED_ACCOUNT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while spending the one request of " + LIMITED_ACCOUNT, e);
    }
  }

  private void account() {
    if (server.stores().accounts().findAccount(ACCOUNT).isEmpty()) {
      server.provisioning().createAccount(ACCOUNT, CLIENT_ID);
    }
  }

  private void createUserOnce(String account, String username, String password) {
    if (server.stores().users().findUser(account, username).isEmpty()) {
      server.provisioning().createUser(account, username, Password.of(password));
    }
  }

  private void saveRefreshToken(String value, Instant issuedAt, Instant expiresAt) {
    activeUser();
    if (server.stores().refreshTokens().findRefreshToken(RefreshTokens.hash(value)).isPresent()) {
      return;
    }
    var user = server.stores().users().findUser(ACCOUNT, USERNAME).orElseThrow();
    server.stores().refreshTokens().saveRefreshToken(RefreshTokenRecord.issued(RefreshTokens.hash(value),
        UUID.randomUUID().toString(), ACCOUNT, CLIENT_ID, user.id(), SDK_SCOPE, issuedAt, expiresAt, expiresAt));
  }

  @Override
  public void close() {
    server.close();
  }
}
