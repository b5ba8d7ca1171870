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
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
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
  /** Rotated an hour ago, far outside the grace window: presenting it again is a replay. */
  public static final String ROTATED_REFRESH_TOKEN = "alice-rotated-refresh-token";
  /** A user of account acme whose failed-login budget is spent before the test runs. */
  public static final String BRUTE_FORCED_USERNAME = "carol";
  public static final String BRUTE_FORCED_PASSWORD = "carol-secret";
  /** Failed logins a username may have per window before logins for it are refused with 429. */
  public static final int FAILED_LOGINS_PER_USERNAME = 3;
  /** An account that allows anonymous registration (acme does not). */
  public static final String OPEN_ACCOUNT = "open";
  public static final String OPEN_CLIENT_ID = "open-public-key";
  /** An anonymous user registered in account open before the test runs. */
  public static final String REGISTERED_DEVICE = "device-2";
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
        SettingKeys.ARGON2_ITERATIONS, "1",
        // a brute-force budget small enough to spend in a provider state, whatever the default
        SettingKeys.FAILED_LOGINS_PER_USERNAME, Integer.toString(FAILED_LOGINS_PER_USERNAME),
        SettingKeys.FAILED_LOGIN_WINDOW, "15m"));
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
    rotatedRefreshToken();
    narrowAccountWithUser();
    limitedAccountUsedUp();
    bruteForcedUser();
    openAccount();
    registeredDevice();
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

  /** A token that was spent (rotated) an hour ago and is presented again: a replay, not a retry. */
  public void rotatedRefreshToken() {
    var now = Instant.now();
    var hash = RefreshTokens.hash(ROTATED_REFRESH_TOKEN);
    if (server.stores().refreshTokens().findRefreshToken(hash).isPresent()) {
      return;
    }
    saveRefreshToken(ROTATED_REFRESH_TOKEN, now.minus(Duration.ofHours(2)), now.plus(Duration.ofDays(30)));
    server.stores().refreshTokens().rotate(hash, Optional.empty(), now.minus(Duration.ofHours(1)), Duration.ZERO);
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
    postForm(LIMITED_ACCOUNT + "/connect/revocation", 200, "token", "spent", "client_id", LIMITED_CLIENT_ID);
  }

  /**
   * Creates carol and spends her failed-login budget with wrong passwords, as an attacker would
   * (RFC 6749 section 4.3.2): her next login is refused whatever the password.
   */
  public void bruteForcedUser() {
    account();
    if (server.stores().users().findUser(ACCOUNT, BRUTE_FORCED_USERNAME).isPresent()) {
      return;
    }
    server.provisioning().createUser(ACCOUNT, BRUTE_FORCED_USERNAME, Password.of(BRUTE_FORCED_PASSWORD));
    for (int i = 0; i < FAILED_LOGINS_PER_USERNAME; i++) {
      postForm(ACCOUNT + "/connect/token", 400, "client_id", CLIENT_ID, "grant_type", "password",
          "username", BRUTE_FORCED_USERNAME, "password", "guess-" + i, "scope", SDK_SCOPE.toString());
    }
  }

  public void openAccount() {
    if (server.stores().accounts().findAccount(OPEN_ACCOUNT).isEmpty()) {
      server.provisioning().createAccount(OPEN_ACCOUNT, OPEN_CLIENT_ID, true);
    }
  }

  public void registeredDevice() {
    openAccount();
    if (server.stores().users().findUser(OPEN_ACCOUNT, REGISTERED_DEVICE).isEmpty()) {
      server.provisioning().createAnonymousUser(OPEN_ACCOUNT, REGISTERED_DEVICE);
    }
  }

  /** Account acme exists, with its signing key, and allows no anonymous registration. */
  public void account() {
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

  /** Sends a form over HTTP, as a client would, and insists on the expected status. */
  private void postForm(String path, int expectedStatus, String... namesAndValues) {
    var form = new StringJoiner("&");
    for (int i = 0; i < namesAndValues.length; i += 2) {
      form.add(namesAndValues[i] + "=" + URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
    }
    var request = HttpRequest.newBuilder(URI.create(baseUrl() + "/" + path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form.toString()))
        .build();
    try {
      int status = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status != expectedStatus) {
        throw new IllegalStateException("setting up: POST /" + path + " answered " + status + ", not "
            + expectedStatus);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("setting up: could not POST /" + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("setting up: interrupted during POST /" + path, e);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
