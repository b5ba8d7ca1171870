package io.meshyauth.server;

import static io.meshyauth.server.config.SettingKeys.*;

import io.meshyauth.server.config.Settings;
import io.meshyauth.server.password.Argon2PasswordHasher.Argon2Parameters;
import io.meshyauth.server.store.Stores;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * How a server instance runs. Port 0 takes a free port. The issuer base URL defaults to the address the
 * server listens on. {@link #from(Settings)} reads it from the documented settings.
 */
public record ServerConfig(String host, int port, Optional<String> issuerBaseUrl, Argon2Parameters argon2,
    long maxRequestBytes, Duration shutdownGrace, String storeUrl, AccountDefaults accountDefaults,
    Duration refreshGraceWindow, Duration keyRotationPeriod, LoginLimits loginLimits, Clock clock) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;

  /** What a new account gets unless the operator says otherwise. */
  public record AccountDefaults(Duration accessTokenLifetime, Duration refreshTokenLifetime,
      Duration refreshTokenAbsoluteLifetime, long requestsPerMinute) {
    public static AccountDefaults standard() {
      return new AccountDefaults(Duration.ofHours(1), Duration.ofDays(30), Duration.ofDays(90), 6_000);
    }
  }

  /** Brute-force protection (RFC 6749 section 4.3.2): failed logins allowed per window. */
  public record LoginLimits(long failuresPerUsername, long failuresPerClientIp, Duration window) {
    public static LoginLimits standard() {
      return new LoginLimits(10, 100, Duration.ofMinutes(15));
    }
  }

  public static ServerConfig defaults() {
    return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, Optional.empty(), Argon2Parameters.defaults(), 16 * 1024,
        Duration.ofSeconds(10), Stores.DEFAULT_JDBC_URL, AccountDefaults.standard(), Duration.ofSeconds(5),
        Duration.ofDays(90), LoginLimits.standard(), Clock.systemUTC());
  }

  public static ServerConfig from(Settings settings) {
    var defaults = defaults();
    var accounts = defaults.accountDefaults();
    var login = defaults.loginLimits();
    var argon2 = defaults.argon2();
    return new ServerConfig(
        settings.string(HOST, defaults.host()),
        settings.integer(PORT, defaults.port(), 0, 65_535),
        settings.optionalString(ISSUER_BASE_URL).map(url -> url.replaceAll("/+$", "")),
        new Argon2Parameters(
            settings.integer(ARGON2_MEMORY_KIB, argon2.memoryKib(), 1024, 4 * 1024 * 1024),
            settings.integer(ARGON2_ITERATIONS, argon2.iterations(), 1, 100),
            settings.integer(ARGON2_PARALLELISM, argon2.parallelism(), 1, 64)),
        settings.longValue(MAX_REQUEST_BYTES, defaults.maxRequestBytes(), 1024),
        settings.duration(SHUTDOWN_GRACE, defaults.shutdownGrace(), Duration.ZERO),
        settings.string(STORE_URL, defaults.storeUrl()),
        new AccountDefaults(
            settings.duration(ACCESS_TOKEN_LIFETIME, accounts.accessTokenLifetime(), Duration.ofSeconds(1)),
            settings.duration(REFRESH_TOKEN_LIFETIME, accounts.refreshTokenLifetime(), Duration.ofSeconds(1)),
            settings.duration(REFRESH_TOKEN_ABSOLUTE_LIFETIME, accounts.refreshTokenAbsoluteLifetime(),
                Duration.ofSeconds(1)),
            settings.longValue(ACCOUNT_REQUESTS_PER_MINUTE, accounts.requestsPerMinute(), 1)),
        settings.duration(REFRESH_GRACE_WINDOW, defaults.refreshGraceWindow(), Duration.ZERO),
        settings.duration(KEY_ROTATION_PERIOD, defaults.keyRotationPeriod(), Duration.ofMinutes(1)),
        new LoginLimits(
            settings.longValue(FAILED_LOGINS_PER_USERNAME, login.failuresPerUsername(), 1),
            settings.longValue(FAILED_LOGINS_PER_IP, login.failuresPerClientIp(), 1),
            settings.duration(FAILED_LOGIN_WINDOW, login.window(), Duration.ofSeconds(1))),
        Clock.systemUTC());
  }

  public ServerConfig {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
    }
    if (maxRequestBytes < 1024) {
      throw new IllegalArgumentException("maxRequestBytes must be at least 1024, was " + maxRequestBytes);
    }
  }

  public ServerConfig withHost(String newHost) {
    return new ServerConfig(newHost, port, issuerBaseUrl, argon2, maxRequestBytes, shutdownGrace, storeUrl, accountDefaults,
        refreshGraceWindow, keyRotationPeriod, loginLimits, clock);
  }

  public ServerConfig withPort(int newPort) {
    return new ServerConfig(host, newPort, issuerBaseUrl, argon2, maxRequestBytes, shutdownGrace, storeUrl, accountDefaults,
        refreshGraceWindow, keyRotationPeriod, loginLimits, clock);
  }

  public ServerConfig withClock(Clock newClock) {
    return new ServerConfig(host, port, issuerBaseUrl, argon2, maxRequestBytes, shutdownGrace, storeUrl, accountDefaults,
        refreshGraceWindow, keyRotationPeriod, loginLimits, newClock);
  }

  public ServerConfig withArgon2(Argon2Parameters newArgon2) {
    return new ServerConfig(host, port, issuerBaseUrl, newArgon2, maxRequestBytes, shutdownGrace, storeUrl, accountDefaults,
        refreshGraceWindow, keyRotationPeriod, loginLimits, clock);
  }

  public ServerConfig withRefreshGraceWindow(Duration window) {
    return new ServerConfig(host, port, issuerBaseUrl, argon2, maxRequestBytes, shutdownGrace, storeUrl, accountDefaults,
        window, keyRotationPeriod, loginLimits, clock);
  }

  public ServerConfig withAccountDefaults(AccountDefaults defaults) {
    return new ServerConfig(host, port, issuerBaseUrl, argon2, maxRequestBytes, shutdownGrace, storeUrl, defaults,
        refreshGraceWindow, keyRotationPeriod, loginLimits, clock);
  }

  public ServerConfig withShutdownGrace(Duration grace) {
    return new ServerConfig(host, port, issuerBaseUrl, argon2, maxRequestBytes, grace, storeUrl, accountDefaults,
        refreshGraceWindow, keyRotationPeriod, loginLimits, clock);
  }

  public ServerConfig withLoginLimits(LoginLimits limits) {
    return new ServerConfig(host, port, issuerBaseUrl, argon2, maxRequestBytes, shutdownGrace, storeUrl, accountDefaults,
        refreshGraceWindow, keyRotationPeriod, limits, clock);
  }
}
