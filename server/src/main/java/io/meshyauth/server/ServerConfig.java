package io.meshyauth.server;

import static io.meshyauth.server.config.SettingKeys.ACCESS_TOKEN_LIFETIME;
import static io.meshyauth.server.config.SettingKeys.ACCOUNT_REQUESTS_PER_MINUTE;
import static io.meshyauth.server.config.SettingKeys.ARGON2_ITERATIONS;
import static io.meshyauth.server.config.SettingKeys.ARGON2_MAX_CONCURRENT;
import static io.meshyauth.server.config.SettingKeys.ARGON2_MEMORY_KIB;
import static io.meshyauth.server.config.SettingKeys.ARGON2_PARALLELISM;
import static io.meshyauth.server.config.SettingKeys.FAILED_LOGINS_PER_IP;
import static io.meshyauth.server.config.SettingKeys.FAILED_LOGINS_PER_USERNAME;
import static io.meshyauth.server.config.SettingKeys.FAILED_LOGIN_WINDOW;
import static io.meshyauth.server.config.SettingKeys.HOST;
import static io.meshyauth.server.config.SettingKeys.ISSUER_BASE_URL;
import static io.meshyauth.server.config.SettingKeys.KEY_ENCRYPTION_KEY_FILE;
import static io.meshyauth.server.config.SettingKeys.KEY_ROTATION_PERIOD;
import static io.meshyauth.server.config.SettingKeys.MAX_REQUEST_BYTES;
import static io.meshyauth.server.config.SettingKeys.MAX_TRACKED_BUCKETS;
import static io.meshyauth.server.config.SettingKeys.PORT;
import static io.meshyauth.server.config.SettingKeys.PURGE_INTERVAL;
import static io.meshyauth.server.config.SettingKeys.REFRESH_GRACE_WINDOW;
import static io.meshyauth.server.config.SettingKeys.REFRESH_TOKEN_ABSOLUTE_LIFETIME;
import static io.meshyauth.server.config.SettingKeys.REFRESH_TOKEN_LIFETIME;
import static io.meshyauth.server.config.SettingKeys.SHUTDOWN_GRACE;
import static io.meshyauth.server.config.SettingKeys.STORE_URL;

import io.meshyauth.server.config.Settings;
import io.meshyauth.server.config.SettingsException;
import io.meshyauth.server.password.Argon2PasswordHasher.Argon2Parameters;
import io.meshyauth.server.store.Stores;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How a server instance runs; {@link #from(Settings)} reads it from the documented settings. Port 0 takes a
 * free port. The issuer base URL defaults to the address the server listens on.
 */
public record ServerConfig(String host, int port, Optional<String> issuerBaseUrl, Argon2Parameters argon2,
    long maxRequestBytes, Duration shutdownGrace, String storeUrl, Duration purgeInterval,
    AccountDefaults accountDefaults, Duration refreshGraceWindow, Duration keyRotationPeriod, LoginLimits loginLimits,
    int maxTrackedBuckets, Optional<Path> keyEncryptionKeyFile, Clock clock) {

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

  public ServerConfig {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
    }
    if (maxRequestBytes < 1024) {
      throw new IllegalArgumentException("maxRequestBytes must be at least 1024, was " + maxRequestBytes);
    }
  }

  public static ServerConfig defaults() {
    return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, Optional.empty(), Argon2Parameters.defaults(), 16 * 1024,
        Duration.ofSeconds(10), Stores.DEFAULT_JDBC_URL, Duration.ofMinutes(10), AccountDefaults.standard(),
        Duration.ofSeconds(5), Duration.ofDays(90), LoginLimits.standard(), 200_000, Optional.empty(),
        Clock.systemUTC());
  }

  public static ServerConfig from(Settings settings) {
    var defaults = defaults();
    var accounts = defaults.accountDefaults();
    var login = defaults.loginLimits();
    var argon2 = defaults.argon2();
    var second = Duration.ofSeconds(1);
    var storeUrl = settings.string(STORE_URL, defaults.storeUrl(),
        url -> url.startsWith("jdbc:sqlite:") || url.startsWith("jdbc:postgresql:"),
        "a jdbc:sqlite:FILE or jdbc:postgresql://HOST/DATABASE URL");
    return new ServerConfig(
        settings.string(HOST, defaults.host()),
        settings.integer(PORT, defaults.port(), 0, 65_535),
        settings.optionalString(ISSUER_BASE_URL).map(url -> url.replaceAll("/+$", "")),
        new Argon2Parameters(
            settings.integer(ARGON2_MEMORY_KIB, argon2.memoryKib(), 1024, 4 * 1024 * 1024),
            settings.integer(ARGON2_ITERATIONS, argon2.iterations(), 1, 100),
            settings.integer(ARGON2_PARALLELISM, argon2.parallelism(), 1, 64),
            settings.integer(ARGON2_MAX_CONCURRENT, argon2.maxConcurrent(), 1, 1024)),
        settings.longValue(MAX_REQUEST_BYTES, defaults.maxRequestBytes(), 1024),
        settings.duration(SHUTDOWN_GRACE, defaults.shutdownGrace(), Duration.ZERO),
        storeUrl,
        settings.duration(PURGE_INTERVAL, defaults.purgeInterval(), second),
        new AccountDefaults(
            settings.duration(ACCESS_TOKEN_LIFETIME, accounts.accessTokenLifetime(), second),
            settings.duration(REFRESH_TOKEN_LIFETIME, accounts.refreshTokenLifetime(), second),
            settings.duration(REFRESH_TOKEN_ABSOLUTE_LIFETIME, accounts.refreshTokenAbsoluteLifetime(), second),
            settings.longValue(ACCOUNT_REQUESTS_PER_MINUTE, accounts.requestsPerMinute(), 1)),
        settings.duration(REFRESH_GRACE_WINDOW, defaults.refreshGraceWindow(), Duration.ZERO),
        settings.duration(KEY_ROTATION_PERIOD, defaults.keyRotationPeriod(), Duration.ofMinutes(1)),
        new LoginLimits(
            settings.longValue(FAILED_LOGINS_PER_USERNAME, login.failuresPerUsername(), 1),
            settings.longValue(FAILED_LOGINS_PER_IP, login.failuresPerClientIp(), 1),
            settings.duration(FAILED_LOGIN_WINDOW, login.window(), second)),
        settings.integer(MAX_TRACKED_BUCKETS, defaults.maxTrackedBuckets(), 1_000, 100_000_000),
        keyEncryptionKeyFile(settings, storeUrl),
        Clock.systemUTC());
  }

  /**
   * SQLite keeps the key beside its file unless told otherwise. PostgreSQL has no such place, and the nodes
   * sharing it must share one key: a default in each node's working directory would give each its own.
   */
  private static Optional<Path> keyEncryptionKeyFile(Settings settings, String storeUrl) {
    var file = settings.optionalString(KEY_ENCRYPTION_KEY_FILE)
        .map(text -> Path.of(settings.string(KEY_ENCRYPTION_KEY_FILE, text, ServerConfig::isPath, "a file path")));
    if (file.isEmpty() && storeUrl.startsWith("jdbc:postgresql:")) {
      throw SettingsException.missing(KEY_ENCRYPTION_KEY_FILE, "must be set when " + STORE_URL + " is PostgreSQL: "
          + "name the file with the key that encrypts the private signing keys, the same file on every node (the "
          + "first start creates it)");
    }
    return file;
  }

  private static boolean isPath(String text) {
    try {
      Path.of(text);
      return true;
    } catch (InvalidPathException e) {
      return false;
    }
  }

  public ServerConfig withHost(String value) {
    return with(b -> b.host = value);
  }

  public ServerConfig withPort(int value) {
    return with(b -> b.port = value);
  }

  public ServerConfig withClock(Clock value) {
    return with(b -> b.clock = value);
  }

  public ServerConfig withArgon2(Argon2Parameters value) {
    return with(b -> b.argon2 = value);
  }

  public ServerConfig withRefreshGraceWindow(Duration value) {
    return with(b -> b.refreshGraceWindow = value);
  }

  public ServerConfig withAccountDefaults(AccountDefaults value) {
    return with(b -> b.accountDefaults = value);
  }

  public ServerConfig withShutdownGrace(Duration value) {
    return with(b -> b.shutdownGrace = value);
  }

  public ServerConfig withLoginLimits(LoginLimits value) {
    return with(b -> b.loginLimits = value);
  }

  private ServerConfig with(Consumer<Builder> change) {
    var builder = new Builder(this);
    change.accept(builder);
    return builder.build();
  }

  /** The one place that lists every component again, so that each {@code with} method changes one. */
  private static final class Builder {
    String host;
    int port;
    Optional<String> issuerBaseUrl;
    Argon2Parameters argon2;
    long maxRequestBytes;
    Duration shutdownGrace;
    String storeUrl;
    Duration purgeInterval;
    AccountDefaults accountDefaults;
    Duration refreshGraceWindow;
    Duration keyRotationPeriod;
    LoginLimits loginLimits;
    int maxTrackedBuckets;
    Optional<Path> keyEncryptionKeyFile;
    Clock clock;

    Builder(ServerConfig c) {
      host = c.host;
      port = c.port;
      issuerBaseUrl = c.issuerBaseUrl;
      argon2 = c.argon2;
      maxRequestBytes = c.maxRequestBytes;
      shutdownGrace = c.shutdownGrace;
      storeUrl = c.storeUrl;
      purgeInterval = c.purgeInterval;
      accountDefaults = c.accountDefaults;
      refreshGraceWindow = c.refreshGraceWindow;
      keyRotationPeriod = c.keyRotationPeriod;
      loginLimits = c.loginLimits;
      maxTrackedBuckets = c.maxTrackedBuckets;
      keyEncryptionKeyFile = c.keyEncryptionKeyFile;
      clock = c.clock;
    }

    ServerConfig build() {
      return new ServerConfig(host, port, issuerBaseUrl, argon2, maxRequestBytes, shutdownGrace, storeUrl,
          purgeInterval, accountDefaults, refreshGraceWindow, keyRotationPeriod, loginLimits, maxTrackedBuckets,
          keyEncryptionKeyFile, clock);
    }
  }
}
