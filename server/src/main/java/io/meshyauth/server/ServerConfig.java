package io.meshyauth.server;

import static io.meshyauth.server.config.SettingKeys.ACCESS_TOKEN_LIFETIME;
import static io.meshyauth.server.config.SettingKeys.ACCOUNT_REQUESTS_PER_MINUTE;
import static io.meshyauth.server.config.SettingKeys.ARGON2_ITERATIONS;
import static io.meshyauth.server.config.SettingKeys.ARGON2_MAX_CONCURRENT;
import static io.meshyauth.server.config.SettingKeys.ARGON2_MAX_QUEUE;
import static io.meshyauth.server.config.SettingKeys.ARGON2_MEMORY_KIB;
import static io.meshyauth.server.config.SettingKeys.ARGON2_PARALLELISM;
import static io.meshyauth.server.config.SettingKeys.CODES_PER_USERNAME;
import static io.meshyauth.server.config.SettingKeys.CODE_LENGTH;
import static io.meshyauth.server.config.SettingKeys.CODE_LIFETIME;
import static io.meshyauth.server.config.SettingKeys.COURIER_FROM;
import static io.meshyauth.server.config.SettingKeys.COURIER_MAX_ATTEMPTS;
import static io.meshyauth.server.config.SettingKeys.COURIER_RETENTION;
import static io.meshyauth.server.config.SettingKeys.COURIER_SMTP_HOST;
import static io.meshyauth.server.config.SettingKeys.COURIER_SMTP_PASSWORD;
import static io.meshyauth.server.config.SettingKeys.COURIER_SMTP_PASSWORD_FILE;
import static io.meshyauth.server.config.SettingKeys.COURIER_SMTP_PORT;
import static io.meshyauth.server.config.SettingKeys.COURIER_SMTP_TLS;
import static io.meshyauth.server.config.SettingKeys.COURIER_SMTP_USER;
import static io.meshyauth.server.config.SettingKeys.COURIER_TEMPLATES_DIR;
import static io.meshyauth.server.config.SettingKeys.COURIER_WEBHOOK_SECRET;
import static io.meshyauth.server.config.SettingKeys.COURIER_WEBHOOK_URL;
import static io.meshyauth.server.config.SettingKeys.CRYPTO_NATIVE;
import static io.meshyauth.server.config.SettingKeys.FAILED_CLIENT_AUTHENTICATIONS_PER_CLIENT;
import static io.meshyauth.server.config.SettingKeys.FAILED_CLIENT_AUTHENTICATIONS_PER_CLIENT_AND_IP;
import static io.meshyauth.server.config.SettingKeys.FAILED_CLIENT_AUTHENTICATIONS_PER_IP;
import static io.meshyauth.server.config.SettingKeys.FAILED_CLIENT_AUTHENTICATION_WINDOW;
import static io.meshyauth.server.config.SettingKeys.FAILED_LOGINS_PER_IP;
import static io.meshyauth.server.config.SettingKeys.FAILED_LOGINS_PER_USERNAME;
import static io.meshyauth.server.config.SettingKeys.FAILED_LOGINS_PER_USERNAME_AND_IP;
import static io.meshyauth.server.config.SettingKeys.FAILED_LOGIN_WINDOW;
import static io.meshyauth.server.config.SettingKeys.FAILED_VERIFICATIONS_PER_IP;
import static io.meshyauth.server.config.SettingKeys.FAILED_VERIFICATIONS_PER_USERNAME;
import static io.meshyauth.server.config.SettingKeys.FAILED_VERIFICATION_WINDOW;
import static io.meshyauth.server.config.SettingKeys.HOST;
import static io.meshyauth.server.config.SettingKeys.ISSUER_BASE_URL;
import static io.meshyauth.server.config.SettingKeys.KEY_ENCRYPTION_KEY_FILE;
import static io.meshyauth.server.config.SettingKeys.KEY_ROTATION_PERIOD;
import static io.meshyauth.server.config.SettingKeys.LOG_FORMAT;
import static io.meshyauth.server.config.SettingKeys.MANAGEMENT_PORT;
import static io.meshyauth.server.config.SettingKeys.MAX_CONNECTIONS;
import static io.meshyauth.server.config.SettingKeys.MAX_REQUEST_BYTES;
import static io.meshyauth.server.config.SettingKeys.MAX_TRACKED_BUCKETS;
import static io.meshyauth.server.config.SettingKeys.PORT;
import static io.meshyauth.server.config.SettingKeys.PURGE_INTERVAL;
import static io.meshyauth.server.config.SettingKeys.READY_TIMEOUT;
import static io.meshyauth.server.config.SettingKeys.REFRESH_GRACE_WINDOW;
import static io.meshyauth.server.config.SettingKeys.REFRESH_TOKEN_ABSOLUTE_LIFETIME;
import static io.meshyauth.server.config.SettingKeys.REFRESH_TOKEN_LIFETIME;
import static io.meshyauth.server.config.SettingKeys.REGISTRATIONS_PER_IP;
import static io.meshyauth.server.config.SettingKeys.REGISTRATION_WINDOW;
import static io.meshyauth.server.config.SettingKeys.REQUEST_TIMEOUT;
import static io.meshyauth.server.config.SettingKeys.SHUTDOWN_GRACE;
import static io.meshyauth.server.config.SettingKeys.SIGN_UPS_PER_IP;
import static io.meshyauth.server.config.SettingKeys.SIGN_UP_WINDOW;
import static io.meshyauth.server.config.SettingKeys.STORE_CONNECT_TIMEOUT;
import static io.meshyauth.server.config.SettingKeys.STORE_PASSWORD;
import static io.meshyauth.server.config.SettingKeys.STORE_PASSWORD_FILE;
import static io.meshyauth.server.config.SettingKeys.STORE_POOL_SIZE;
import static io.meshyauth.server.config.SettingKeys.STORE_SOCKET_TIMEOUT;
import static io.meshyauth.server.config.SettingKeys.STORE_URL;
import static io.meshyauth.server.config.SettingKeys.STORE_USER;
import static io.meshyauth.server.config.SettingKeys.TLS_CERTIFICATE;
import static io.meshyauth.server.config.SettingKeys.TLS_PRIVATE_KEY;
import static io.meshyauth.server.config.SettingKeys.TRUSTED_PROXIES;
import static io.meshyauth.server.config.SettingKeys.USER_LOOKUPS_PER_IP;
import static io.meshyauth.server.config.SettingKeys.USER_LOOKUP_WINDOW;

import io.meshyauth.server.config.Settings;
import io.meshyauth.server.config.SettingsException;
import io.meshyauth.server.courier.CourierSettings;
import io.meshyauth.server.courier.CourierSettings.Smtp;
import io.meshyauth.server.courier.CourierSettings.Tls;
import io.meshyauth.server.courier.CourierSettings.Webhook;
import io.meshyauth.server.limit.LoginThrottle;
import io.meshyauth.server.logging.LogFormat;
import io.meshyauth.server.password.Argon2PasswordHasher.Argon2Parameters;
import io.meshyauth.server.store.StoreOptions;
import io.meshyauth.server.store.Stores;
import io.meshyauth.server.store.jdbc.JdbcStores;
import io.meshyauth.server.store.jdbc.SecretFiles;
import io.meshyauth.server.web.ClientAddresses;
import io.meshyauth.server.web.TlsIdentity;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * How a server instance runs; {@link #from(Settings)} reads it from the documented settings. Port 0 takes a
 * free port. The issuer base URL defaults to the address the server listens on, which only a server on a loopback
 * address and a store of its own may rely on (see {@link #issuerRequiredBecause()}).
 */
public record ServerConfig(String host, int port, Optional<String> issuerBaseUrl, Argon2Parameters argon2,
    long maxRequestBytes, Duration shutdownGrace, String storeUrl, StoreOptions storeOptions,
    Duration purgeInterval, AccountDefaults accountDefaults, Duration refreshGraceWindow, Duration keyRotationPeriod,
    Limits limits, int maxTrackedBuckets, List<String> trustedProxies, Optional<Path> keyEncryptionKeyFile,
    Clock clock, Http http, LogFormat logFormat, Duration readyTimeout, boolean nativeCrypto,
    CourierSettings courier, Optional<String> fixedVerificationCode) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;

  /** What a new account gets unless the operator says otherwise. */
  public record AccountDefaults(Duration accessTokenLifetime, Duration refreshTokenLifetime,
      Duration refreshTokenAbsoluteLifetime, long requestsPerMinute) {
    public static AccountDefaults standard() {
      return new AccountDefaults(Duration.ofHours(1), Duration.ofDays(30), Duration.ofDays(90), 6_000);
    }
  }

  /**
   * The limits on what one client can do: failed logins (brute-force protection, RFC 6749 section 4.3.2),
   * confidential clients' failed authentications (the same three budgets, the client in the username's place),
   * anonymous registrations per client address, and the budgets and codes of sign-up and recovery.
   */
  public record Limits(LoginThrottle.Budgets failedLogins, LoginThrottle.Budgets failedClientAuthentications,
      long registrationsPerIp, Duration registrationWindow, SignUp signUp) {
    public static Limits standard() {
      return new Limits(LoginThrottle.Budgets.standard(), LoginThrottle.Budgets.standard(), 20, Duration.ofHours(1),
          SignUp.standard());
    }

    public Limits withFailedLogins(LoginThrottle.Budgets value) {
      return new Limits(value, failedClientAuthentications, registrationsPerIp, registrationWindow, signUp);
    }

    public Limits withFailedClientAuthentications(LoginThrottle.Budgets value) {
      return new Limits(failedLogins, value, registrationsPerIp, registrationWindow, signUp);
    }

    public Limits withRegistrationsPerIp(long value) {
      return new Limits(failedLogins, failedClientAuthentications, value, registrationWindow, signUp);
    }

    public Limits withSignUp(SignUp value) {
      return new Limits(failedLogins, failedClientAuthentications, registrationsPerIp, registrationWindow, value);
    }
  }

  /**
   * Sign-up and recovery: the failed code checks one username may have in a window (checkhash, verify and
   * resetpassword together), the registrations and the username look-ups (exists, forgotpassword) of one client
   * address, and the codes' length and lifetime.
   */
  public record SignUp(long failedVerificationsPerUsername, long failedVerificationsPerIp, long codesPerUsername,
      Duration failedVerificationWindow, long registrationsPerIp, Duration registrationWindow, long lookupsPerIp,
      Duration lookupWindow, int codeLength, Duration codeLifetime, Duration outboxRetention) {
    public static SignUp standard() {
      return new SignUp(10, 100, 5, Duration.ofHours(1), 20, Duration.ofHours(1), 60, Duration.ofMinutes(15), 6,
          Duration.ofHours(1), Duration.ofDays(30));
    }

    public SignUp withFailedVerificationsPerUsername(long value) {
      return new SignUp(value, failedVerificationsPerIp, codesPerUsername, failedVerificationWindow,
          registrationsPerIp, registrationWindow, lookupsPerIp, lookupWindow, codeLength, codeLifetime,
          outboxRetention);
    }

    public SignUp withLookupsPerIp(long value) {
      return new SignUp(failedVerificationsPerUsername, failedVerificationsPerIp, codesPerUsername,
          failedVerificationWindow, registrationsPerIp, registrationWindow, value, lookupWindow, codeLength,
          codeLifetime, outboxRetention);
    }

    public SignUp withCodeLifetime(Duration value) {
      return new SignUp(failedVerificationsPerUsername, failedVerificationsPerIp, codesPerUsername,
          failedVerificationWindow, registrationsPerIp, registrationWindow, lookupsPerIp, lookupWindow, codeLength,
          value, outboxRetention);
    }
  }

  /**
   * How connections are served: a request must arrive whole within {@code requestTimeout} of its first byte (of
   * the connection's opening for its first request, TLS handshake included), at most {@code maxConnections} are
   * open at once, and HTTPS is on when {@code tls} is present. With a {@code managementPort}, {@code /metrics} is
   * served there (0: a free port) and not on the API's port.
   */
  public record Http(Duration requestTimeout, int maxConnections, Optional<TlsIdentity> tls,
      OptionalInt managementPort) {
    public static Http standard() {
      return new Http(Duration.ofSeconds(10), 1_000, Optional.empty());
    }

    public Http(Duration requestTimeout, int maxConnections, Optional<TlsIdentity> tls) {
      this(requestTimeout, maxConnections, tls, OptionalInt.empty());
    }

    public Http withManagementPort(int port) {
      return new Http(requestTimeout, maxConnections, tls, OptionalInt.of(port));
    }

    public String scheme() {
      return tls.isPresent() ? "https" : "http";
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
        Duration.ofSeconds(10), Stores.DEFAULT_JDBC_URL, StoreOptions.defaults(), Duration.ofMinutes(10),
        AccountDefaults.standard(), Duration.ofSeconds(5), Duration.ofDays(90), Limits.standard(), 200_000, List.of(),
        Optional.empty(), Clock.systemUTC(), Http.standard(), LogFormat.AUTO, Duration.ofSeconds(1), true,
        CourierSettings.defaults(), Optional.empty());
  }

  /**
   * The settings as the admin commands take them; {@link #forServing(Settings)} for {@code serve}, which also
   * needs an issuer its clients can use.
   */
  public static ServerConfig from(Settings settings) {
    var defaults = defaults();
    var accounts = defaults.accountDefaults();
    var limits = defaults.limits();
    var login = limits.failedLogins();
    var clientAuthentication = limits.failedClientAuthentications();
    var signUp = limits.signUp();
    var argon2 = defaults.argon2();
    var second = Duration.ofSeconds(1);
    var storeUrl = settings.string(STORE_URL, defaults.storeUrl(),
        url -> url.startsWith("jdbc:sqlite:") || url.startsWith("jdbc:postgresql:"),
        "a jdbc:sqlite:FILE or jdbc:postgresql://HOST/DATABASE URL");
    var config = new ServerConfig(
        settings.string(HOST, defaults.host()),
        settings.integer(PORT, defaults.port(), 0, 65_535),
        settings.optionalString(ISSUER_BASE_URL).map(url -> url.replaceAll("/+$", "")),
        new Argon2Parameters(
            settings.integer(ARGON2_MEMORY_KIB, argon2.memoryKib(), 1024, 4 * 1024 * 1024),
            settings.integer(ARGON2_ITERATIONS, argon2.iterations(), 1, 100),
            settings.integer(ARGON2_PARALLELISM, argon2.parallelism(), 1, 64),
            settings.integer(ARGON2_MAX_CONCURRENT, argon2.maxConcurrent(), 1, 1024),
            settings.integer(ARGON2_MAX_QUEUE, argon2.maxQueue(), 0, 10_000)),
        settings.longValue(MAX_REQUEST_BYTES, defaults.maxRequestBytes(), 1024),
        settings.duration(SHUTDOWN_GRACE, defaults.shutdownGrace(), Duration.ZERO),
        storeUrl,
        storeOptions(settings, storeUrl, defaults.storeOptions()),
        settings.duration(PURGE_INTERVAL, defaults.purgeInterval(), second),
        new AccountDefaults(
            settings.duration(ACCESS_TOKEN_LIFETIME, accounts.accessTokenLifetime(), second),
            settings.duration(REFRESH_TOKEN_LIFETIME, accounts.refreshTokenLifetime(), second),
            settings.duration(REFRESH_TOKEN_ABSOLUTE_LIFETIME, accounts.refreshTokenAbsoluteLifetime(), second),
            settings.longValue(ACCOUNT_REQUESTS_PER_MINUTE, accounts.requestsPerMinute(), 1)),
        settings.duration(REFRESH_GRACE_WINDOW, defaults.refreshGraceWindow(), Duration.ZERO),
        settings.duration(KEY_ROTATION_PERIOD, defaults.keyRotationPeriod(), Duration.ofMinutes(1)),
        new Limits(
            new LoginThrottle.Budgets(
                settings.longValue(FAILED_LOGINS_PER_USERNAME_AND_IP, login.perUsernameAndIp(), 1),
                settings.longValue(FAILED_LOGINS_PER_USERNAME, login.perUsername(), 1),
                settings.longValue(FAILED_LOGINS_PER_IP, login.perIp(), 1),
                settings.duration(FAILED_LOGIN_WINDOW, login.window(), second)),
            new LoginThrottle.Budgets(
                settings.longValue(FAILED_CLIENT_AUTHENTICATIONS_PER_CLIENT_AND_IP,
                    clientAuthentication.perUsernameAndIp(), 1),
                settings.longValue(FAILED_CLIENT_AUTHENTICATIONS_PER_CLIENT, clientAuthentication.perUsername(), 1),
                settings.longValue(FAILED_CLIENT_AUTHENTICATIONS_PER_IP, clientAuthentication.perIp(), 1),
                settings.duration(FAILED_CLIENT_AUTHENTICATION_WINDOW, clientAuthentication.window(), second)),
            settings.longValue(REGISTRATIONS_PER_IP, limits.registrationsPerIp(), 1),
            settings.duration(REGISTRATION_WINDOW, limits.registrationWindow(), second),
            new SignUp(
                settings.longValue(FAILED_VERIFICATIONS_PER_USERNAME, signUp.failedVerificationsPerUsername(), 1),
                settings.longValue(FAILED_VERIFICATIONS_PER_IP, signUp.failedVerificationsPerIp(), 1),
                settings.longValue(CODES_PER_USERNAME, signUp.codesPerUsername(), 1),
                settings.duration(FAILED_VERIFICATION_WINDOW, signUp.failedVerificationWindow(), second),
                settings.longValue(SIGN_UPS_PER_IP, signUp.registrationsPerIp(), 1),
                settings.duration(SIGN_UP_WINDOW, signUp.registrationWindow(), second),
                settings.longValue(USER_LOOKUPS_PER_IP, signUp.lookupsPerIp(), 1),
                settings.duration(USER_LOOKUP_WINDOW, signUp.lookupWindow(), second),
                settings.integer(CODE_LENGTH, signUp.codeLength(), 6, 12),
                settings.duration(CODE_LIFETIME, signUp.codeLifetime(), Duration.ofMinutes(1)),
                settings.duration(COURIER_RETENTION, signUp.outboxRetention(), Duration.ofHours(1)))),
        settings.integer(MAX_TRACKED_BUCKETS, defaults.maxTrackedBuckets(), 1_000, 100_000_000),
        settings.list(TRUSTED_PROXIES, ClientAddresses::isAddressPattern, "addresses or CIDR blocks such as "
            + "10.0.0.0/8, separated by commas"),
        keyEncryptionKeyFile(settings, storeUrl),
        Clock.systemUTC(),
        new Http(
            settings.duration(REQUEST_TIMEOUT, defaults.http().requestTimeout(), second),
            settings.integer(MAX_CONNECTIONS, defaults.http().maxConnections(), 1, 1_000_000),
            tls(settings),
            managementPort(settings)),
        LogFormat.parse(settings.string(LOG_FORMAT, defaults.logFormat().value(),
            value -> LogFormat.parse(value).isPresent(), "auto, text or json")).orElseThrow(),
        settings.duration(READY_TIMEOUT, defaults.readyTimeout(), Duration.ofMillis(100)),
        settings.string(CRYPTO_NATIVE, "auto", value -> value.equals("auto") || value.equals("off"), "auto or off")
            .equals("auto"),
        courier(settings), Optional.empty());
    if (config.http().managementPort().orElse(0) == config.port() && config.port() != 0) {
      throw settings.invalid(MANAGEMENT_PORT, "must differ from " + PORT + " (" + config.port() + "): leave it "
          + "unset to serve /metrics on the API's port");
    }
    return config;
  }

  /** The settings as {@code serve} takes them: as {@link #from(Settings)}, and an issuer when one is needed. */
  public static ServerConfig forServing(Settings settings) {
    var config = from(settings);
    var reasons = config.issuerRequiredBecause();
    if (config.issuerBaseUrl().isEmpty() && !reasons.isEmpty()) {
      throw SettingsException.required(ISSUER_BASE_URL, String.join(" and ", reasons) + ": the address it "
          + "listens on is no issuer that clients elsewhere can use; set it to the URL they reach this server by, "
          + "e.g. https://auth.example.com");
    }
    return config;
  }

  /**
   * Why the issuer cannot default to the address the server listens on: every token names its issuer, and clients
   * and resource servers elsewhere must reach and trust that URL; nodes that share a store must all name the same
   * one, or a resource server that trusts one node refuses the tokens of the others.
   */
  public List<String> issuerRequiredBecause() {
    var reasons = new ArrayList<String>();
    if (!isLoopback(host)) {
      reasons.add("server.host " + host + " is not a loopback address");
    }
    if (storeUrl.startsWith("jdbc:postgresql:")) {
      reasons.add("store.url is PostgreSQL, which several nodes share (each would name itself as the issuer)");
    }
    return reasons;
  }

  /**
   * How codes reach users: by SMTP when {@code courier.smtp.host} is set, by the signed webhook when
   * {@code courier.webhook.url} is; with both, e-mail goes by SMTP and text messages by the webhook.
   */
  private static CourierSettings courier(Settings settings) {
    var courier = CourierSettings.defaults();
    try {
      var host = settings.optionalString(COURIER_SMTP_HOST);
      if (host.isPresent()) {
        var smtp = Smtp.of(host.get(), settings.integer(COURIER_SMTP_PORT, 587, 1, 65_535),
            Tls.of(settings.string(COURIER_SMTP_TLS, "starttls")),
            settings.string(COURIER_FROM, "meshy-auth@localhost"));
        var user = settings.optionalString(COURIER_SMTP_USER);
        var password = settings.optionalString(COURIER_SMTP_PASSWORD);
        var file = settings.optionalFile(COURIER_SMTP_PASSWORD_FILE, SecretFiles::readFirstLine);
        if (password.isPresent() && file.isPresent()) {
          throw settings.invalid(COURIER_SMTP_PASSWORD_FILE, "and " + COURIER_SMTP_PASSWORD
              + " are both set: give the password once");
        }
        var given = password.or(() -> file);
        if (user.isPresent() != given.isPresent()) {
          throw settings.invalid(COURIER_SMTP_USER, "and a password (" + COURIER_SMTP_PASSWORD + " or "
              + COURIER_SMTP_PASSWORD_FILE + ") go together: set both or neither");
        }
        if (user.isPresent()) {
          smtp = smtp.withLogin(user.get(), given.get());
        }
        courier = courier.withSmtp(smtp);
      }
      var url = settings.optionalString(COURIER_WEBHOOK_URL);
      if (url.isPresent()) {
        var secret = settings.optionalString(COURIER_WEBHOOK_SECRET).orElseThrow(() -> settings.invalid(
            COURIER_WEBHOOK_SECRET, "is required with " + COURIER_WEBHOOK_URL + ": the receiver checks the "
            + "signature made with it"));
        courier = courier.withWebhook(new Webhook(URI.create(url.get()), secret));
      }
      var templates = settings.optionalString(COURIER_TEMPLATES_DIR);
      if (templates.isPresent()) {
        courier = courier.withTemplatesDir(Path.of(templates.get()));
      }
      return courier.withMaxAttempts(settings.integer(COURIER_MAX_ATTEMPTS, courier.maxAttempts(), 1, 1_000));
    } catch (IllegalArgumentException e) {
      throw new SettingsException(e.getMessage());
    }
  }

  /**
   * How to connect to the database besides its URL. The password comes from {@code store.password} (the
   * environment, say) or a file, so that it is not on a command line; in the URL it still works, with a warning.
   */
  private static StoreOptions storeOptions(Settings settings, String storeUrl, StoreOptions defaults) {
    var password = settings.optionalString(STORE_PASSWORD);
    var file = settings.optionalFile(STORE_PASSWORD_FILE, SecretFiles::readFirstLine);
    if (password.isPresent() && file.isPresent()) {
      throw settings.invalid(STORE_PASSWORD_FILE, "and " + STORE_PASSWORD + " are both set: give the password once");
    }
    var given = password.isPresent() ? password : file;
    if (given.isPresent() && JdbcStores.carriesPassword(storeUrl)) {
      throw settings.invalid(STORE_URL, "carries a password, and " + (password.isPresent() ? STORE_PASSWORD
          : STORE_PASSWORD_FILE) + " gives one as well: drop it from the URL");
    }
    return new StoreOptions(settings.optionalString(STORE_USER), given,
        settings.duration(STORE_CONNECT_TIMEOUT, defaults.connectTimeout(), Duration.ofMillis(250)),
        settings.duration(STORE_SOCKET_TIMEOUT, defaults.socketTimeout(), Duration.ZERO),
        settings.integer(STORE_POOL_SIZE, defaults.poolSize(), 1, 1_000));
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static OptionalInt managementPort(Settings settings) {
    return settings.optionalString(MANAGEMENT_PORT)
        .map(text -> OptionalInt.of(settings.integer(MANAGEMENT_PORT, 0, 0, 65_535)))
        .orElse(OptionalInt.empty());
  }

  /** Both PEM files or neither; each is read now, so a bad one stops the start naming its setting. */
  private static Optional<TlsIdentity> tls(Settings settings) {
    var chain = settings.optionalFile(TLS_CERTIFICATE, TlsIdentity::readCertificateChain);
    var key = settings.optionalFile(TLS_PRIVATE_KEY, TlsIdentity::readPrivateKey);
    if (chain.isPresent() != key.isPresent()) {
      var given = chain.isPresent() ? TLS_CERTIFICATE : TLS_PRIVATE_KEY;
      var missing = chain.isPresent() ? TLS_PRIVATE_KEY : TLS_CERTIFICATE;
      throw settings.invalid(given, "needs " + missing + " as well");
    }
    try {
      return chain.map(certificates -> new TlsIdentity(certificates, key.orElseThrow()));
    } catch (IllegalArgumentException e) {
      throw settings.invalid(TLS_PRIVATE_KEY, "does not fit: " + e.getMessage());
    }
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
      return Path.of(text) != null;
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

  public ServerConfig withLimits(Limits value) {
    return with(b -> b.limits = value);
  }

  public ServerConfig withFailedLogins(LoginThrottle.Budgets value) {
    return withLimits(limits.withFailedLogins(value));
  }

  public ServerConfig withTrustedProxies(List<String> value) {
    return with(b -> b.trustedProxies = List.copyOf(value));
  }

  public ServerConfig withHttp(Http value) {
    return with(b -> b.http = value);
  }

  /**
   * Every verification and reset code is {@code code}: for {@code serve --fixtures} alone, so that a consumer's
   * tests can complete a sign-up without reading e-mail. No setting reaches it.
   */
  public ServerConfig withFixedVerificationCode(String code) {
    return with(b -> b.fixedVerificationCode = Optional.of(code));
  }

  public ServerConfig withCourier(CourierSettings value) {
    return with(b -> b.courier = value);
  }

  public ServerConfig withStoreOptions(StoreOptions value) {
    return with(b -> b.storeOptions = value);
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
    StoreOptions storeOptions;
    Duration purgeInterval;
    AccountDefaults accountDefaults;
    Duration refreshGraceWindow;
    Duration keyRotationPeriod;
    Limits limits;
    int maxTrackedBuckets;
    List<String> trustedProxies;
    Optional<Path> keyEncryptionKeyFile;
    Clock clock;
    Http http;
    LogFormat logFormat;
    Duration readyTimeout;
    boolean nativeCrypto;
    CourierSettings courier;
    Optional<String> fixedVerificationCode;

    Builder(ServerConfig c) {
      host = c.host;
      port = c.port;
      issuerBaseUrl = c.issuerBaseUrl;
      argon2 = c.argon2;
      maxRequestBytes = c.maxRequestBytes;
      shutdownGrace = c.shutdownGrace;
      storeUrl = c.storeUrl;
      storeOptions = c.storeOptions;
      purgeInterval = c.purgeInterval;
      accountDefaults = c.accountDefaults;
      refreshGraceWindow = c.refreshGraceWindow;
      keyRotationPeriod = c.keyRotationPeriod;
      limits = c.limits;
      maxTrackedBuckets = c.maxTrackedBuckets;
      trustedProxies = c.trustedProxies;
      keyEncryptionKeyFile = c.keyEncryptionKeyFile;
      clock = c.clock;
      http = c.http;
      logFormat = c.logFormat;
      readyTimeout = c.readyTimeout;
      nativeCrypto = c.nativeCrypto;
      courier = c.courier;
      fixedVerificationCode = c.fixedVerificationCode;
    }

    ServerConfig build() {
      return new ServerConfig(host, port, issuerBaseUrl, argon2, maxRequestBytes, shutdownGrace, storeUrl,
          storeOptions, purgeInterval, accountDefaults, refreshGraceWindow, keyRotationPeriod, limits,
          maxTrackedBuckets, trustedProxies, keyEncryptionKeyFile, clock, http, logFormat, readyTimeout, nativeCrypto,
          courier, fixedVerificationCode);
    }
  }
}
