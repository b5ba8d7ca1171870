package io.meshyauth.server.config;

import java.util.List;

/** Every setting the server reads; the README's configuration table lists the same keys with their defaults. */
public final class SettingKeys {
  public static final String HOST = "server.host";
  public static final String PORT = "server.port";
  public static final String ISSUER_BASE_URL = "server.issuer-base-url";
  public static final String MAX_REQUEST_BYTES = "server.max-request-bytes";
  public static final String SHUTDOWN_GRACE = "server.shutdown-grace";
  public static final String TRUSTED_PROXIES = "server.trusted-proxies";
  public static final String REQUEST_TIMEOUT = "server.request-timeout";
  public static final String MAX_CONNECTIONS = "server.max-connections";
  public static final String MANAGEMENT_PORT = "server.management-port";
  public static final String TLS_CERTIFICATE = "server.tls.certificate";
  public static final String TLS_PRIVATE_KEY = "server.tls.private-key";
  public static final String READY_TIMEOUT = "health.ready-timeout";
  public static final String STORE_URL = "store.url";
  public static final String PURGE_INTERVAL = "store.purge-interval";
  public static final String STORE_USER = "store.user";
  public static final String STORE_PASSWORD = "store.password";
  public static final String STORE_PASSWORD_FILE = "store.password-file";
  public static final String STORE_CONNECT_TIMEOUT = "store.connect-timeout";
  public static final String STORE_SOCKET_TIMEOUT = "store.socket-timeout";
  public static final String STORE_POOL_SIZE = "store.pool-size";
  public static final String ARGON2_MEMORY_KIB = "argon2.memory-kib";
  public static final String ARGON2_ITERATIONS = "argon2.iterations";
  public static final String ARGON2_PARALLELISM = "argon2.parallelism";
  public static final String ARGON2_MAX_CONCURRENT = "argon2.max-concurrent";
  public static final String ARGON2_MAX_QUEUE = "argon2.max-queue";
  public static final String ACCESS_TOKEN_LIFETIME = "tokens.access-lifetime";
  public static final String REFRESH_TOKEN_LIFETIME = "tokens.refresh-lifetime";
  public static final String REFRESH_TOKEN_ABSOLUTE_LIFETIME = "tokens.refresh-absolute-lifetime";
  public static final String REFRESH_GRACE_WINDOW = "tokens.refresh-grace-window";
  public static final String KEY_ROTATION_PERIOD = "keys.rotation-period";
  public static final String KEY_ENCRYPTION_KEY_FILE = "keys.encryption-key-file";
  public static final String ACCOUNT_REQUESTS_PER_MINUTE = "limits.account-requests-per-minute";
  public static final String FAILED_LOGINS_PER_USERNAME_AND_IP = "limits.failed-logins-per-username-and-ip";
  public static final String FAILED_LOGINS_PER_USERNAME = "limits.failed-logins-per-username";
  public static final String FAILED_LOGINS_PER_IP = "limits.failed-logins-per-ip";
  public static final String FAILED_LOGIN_WINDOW = "limits.failed-login-window";
  public static final String FAILED_CLIENT_AUTHENTICATIONS_PER_CLIENT_AND_IP =
      "limits.failed-client-authentications-per-client-and-ip";
  public static final String FAILED_CLIENT_AUTHENTICATIONS_PER_CLIENT =
      "limits.failed-client-authentications-per-client";
  public static final String FAILED_CLIENT_AUTHENTICATIONS_PER_IP = "limits.failed-client-authentications-per-ip";
  public static final String FAILED_CLIENT_AUTHENTICATION_WINDOW = "limits.failed-client-authentication-window";
  public static final String REGISTRATIONS_PER_IP = "limits.anonymous-registrations-per-ip";
  public static final String REGISTRATION_WINDOW = "limits.anonymous-registration-window";
  public static final String FAILED_VERIFICATIONS_PER_USERNAME = "limits.failed-verifications-per-username";
  public static final String FAILED_VERIFICATIONS_PER_IP = "limits.failed-verifications-per-ip";
  public static final String CODES_PER_USERNAME = "limits.codes-per-username";
  public static final String FAILED_VERIFICATION_WINDOW = "limits.failed-verification-window";
  public static final String SIGN_UPS_PER_IP = "limits.registrations-per-ip";
  public static final String SIGN_UP_WINDOW = "limits.registration-window";
  public static final String USER_LOOKUPS_PER_IP = "limits.user-lookups-per-ip";
  public static final String USER_LOOKUP_WINDOW = "limits.user-lookup-window";
  public static final String CODE_LENGTH = "verification.code-length";
  public static final String CODE_LIFETIME = "verification.code-lifetime";
  public static final String MAX_TRACKED_BUCKETS = "limits.max-tracked-buckets";
  public static final String COURIER_SMTP_HOST = "courier.smtp.host";
  public static final String COURIER_SMTP_PORT = "courier.smtp.port";
  public static final String COURIER_SMTP_TLS = "courier.smtp.tls";
  public static final String COURIER_SMTP_USER = "courier.smtp.user";
  public static final String COURIER_SMTP_PASSWORD = "courier.smtp.password";
  public static final String COURIER_SMTP_PASSWORD_FILE = "courier.smtp.password-file";
  public static final String COURIER_FROM = "courier.from";
  public static final String COURIER_WEBHOOK_URL = "courier.webhook.url";
  public static final String COURIER_WEBHOOK_SECRET = "courier.webhook.secret";
  public static final String COURIER_TEMPLATES_DIR = "courier.templates-dir";
  public static final String COURIER_MAX_ATTEMPTS = "courier.max-attempts";
  public static final String COURIER_RETENTION = "courier.retention";
  public static final String LOG_FORMAT = "log.format";
  public static final String CRYPTO_NATIVE = "crypto.native";

  public static final List<String> ALL = List.of(HOST, PORT, ISSUER_BASE_URL, MAX_REQUEST_BYTES, SHUTDOWN_GRACE,
      TRUSTED_PROXIES, STORE_URL, STORE_USER, STORE_PASSWORD, STORE_PASSWORD_FILE, STORE_CONNECT_TIMEOUT,
      STORE_SOCKET_TIMEOUT, STORE_POOL_SIZE, PURGE_INTERVAL, ARGON2_MEMORY_KIB, ARGON2_ITERATIONS,
      ARGON2_PARALLELISM, ARGON2_MAX_CONCURRENT, ARGON2_MAX_QUEUE,
      ACCESS_TOKEN_LIFETIME, REFRESH_TOKEN_LIFETIME, REFRESH_TOKEN_ABSOLUTE_LIFETIME, REFRESH_GRACE_WINDOW,
      KEY_ROTATION_PERIOD, ACCOUNT_REQUESTS_PER_MINUTE, FAILED_LOGINS_PER_USERNAME_AND_IP,
      FAILED_LOGINS_PER_USERNAME, FAILED_LOGINS_PER_IP, FAILED_LOGIN_WINDOW,
      FAILED_CLIENT_AUTHENTICATIONS_PER_CLIENT_AND_IP, FAILED_CLIENT_AUTHENTICATIONS_PER_CLIENT,
      FAILED_CLIENT_AUTHENTICATIONS_PER_IP, FAILED_CLIENT_AUTHENTICATION_WINDOW, REGISTRATIONS_PER_IP,
      REGISTRATION_WINDOW, FAILED_VERIFICATIONS_PER_USERNAME, FAILED_VERIFICATIONS_PER_IP,
      CODES_PER_USERNAME, FAILED_VERIFICATION_WINDOW, SIGN_UPS_PER_IP,
      SIGN_UP_WINDOW, USER_LOOKUPS_PER_IP, USER_LOOKUP_WINDOW, CODE_LENGTH, CODE_LIFETIME, MAX_TRACKED_BUCKETS,
      COURIER_SMTP_HOST, COURIER_SMTP_PORT, COURIER_SMTP_TLS, COURIER_SMTP_USER, COURIER_SMTP_PASSWORD,
      COURIER_SMTP_PASSWORD_FILE, COURIER_FROM, COURIER_WEBHOOK_URL, COURIER_WEBHOOK_SECRET, COURIER_TEMPLATES_DIR,
      COURIER_MAX_ATTEMPTS, COURIER_RETENTION,
      REQUEST_TIMEOUT, MAX_CONNECTIONS, TLS_CERTIFICATE, TLS_PRIVATE_KEY, KEY_ENCRYPTION_KEY_FILE, MANAGEMENT_PORT,
      LOG_FORMAT, READY_TIMEOUT, CRYPTO_NATIVE);

  private SettingKeys() {
  }
}
