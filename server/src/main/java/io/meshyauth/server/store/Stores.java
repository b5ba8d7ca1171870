package io.meshyauth.server.store;

import io.meshyauth.server.store.jdbc.JdbcStores;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The narrow stores the grant logic works on, and what holds them open. One JDBC implementation backs all
 * four: SQLite in one file by default, PostgreSQL when several nodes share state. The database files are
 * created readable by their owner only, and private signing keys are stored encrypted.
 */
public final class Stores implements AutoCloseable {
  /** Where the embedded store lives unless configured otherwise. */
  public static final String DEFAULT_JDBC_URL = "jdbc:sqlite:meshy-auth.db";

  private final AccountStore accounts;
  private final UserStore users;
  private final RefreshTokenStore refreshTokens;
  private final SigningKeyStore signingKeys;
  private final Optional<BucketStore> buckets;
  private final boolean sharedByNodes;
  private final Supplier<Optional<StoreOutage>> outage;
  private final AutoCloseable resources;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Stores of one process, with no rate-limit buckets of their own: the server keeps them in memory. */
  public Stores(AccountStore accounts, UserStore users, RefreshTokenStore refreshTokens,
      SigningKeyStore signingKeys, AutoCloseable resources) {
    this(accounts, users, refreshTokens, signingKeys, Optional.empty(), false, Optional::empty, resources);
  }

  /**
   * @param buckets rate-limit buckets in the database, counted by every process that opens it
   * @param sharedByNodes whether several nodes serve from this database (PostgreSQL): then every limit lives
   *     there, not only the security budgets
   * @param outage whether the database takes work now, as the work on it last found
   * @param resources what {@link #close()} releases, e.g. a connection pool
   */
  public Stores(AccountStore accounts, UserStore users, RefreshTokenStore refreshTokens,
      SigningKeyStore signingKeys, Optional<BucketStore> buckets, boolean sharedByNodes,
      Supplier<Optional<StoreOutage>> outage, AutoCloseable resources) {
    this.buckets = Objects.requireNonNull(buckets, "buckets");
    this.sharedByNodes = sharedByNodes;
    this.outage = Objects.requireNonNull(outage, "outage");
    this.accounts = Objects.requireNonNull(accounts, "accounts");
    this.users = Objects.requireNonNull(users, "users");
    this.refreshTokens = Objects.requireNonNull(refreshTokens, "refreshTokens");
    this.signingKeys = Objects.requireNonNull(signingKeys, "signingKeys");
    this.resources = Objects.requireNonNull(resources, "resources");
  }

  /**
   * Opens the database at {@code jdbcUrl} ({@code jdbc:sqlite:<file>} or {@code jdbc:postgresql://...}, with the
   * default {@link StoreOptions}) and migrates its schema to this version. Private signing keys are encrypted with
   * the key in {@code keyEncryptionKeyFile}, which is created (readable by its owner only) when neither it nor keys
   * encrypted with it exist yet; for SQLite it defaults to a file beside the database ({@code meshy-auth.key}
   * beside {@code meshy-auth.db}), PostgreSQL needs it named: every node must use the same file.
   */
  public static Stores open(String jdbcUrl, Optional<Path> keyEncryptionKeyFile) {
    return open(jdbcUrl, new Properties(), keyEncryptionKeyFile);
  }

  /** A SQLite store, its key-encryption key beside it; see {@link #open(String, Optional)}. */
  public static Stores open(String jdbcUrl) {
    return open(jdbcUrl, Optional.empty());
  }

  /** As {@link #open(String, Optional)}, with properties for the JDBC driver, such as {@code user}. */
  public static Stores open(String jdbcUrl, Properties driverProperties, Optional<Path> keyEncryptionKeyFile) {
    return JdbcStores.open(jdbcUrl, driverProperties, keyEncryptionKeyFile);
  }

  /** As {@link #open(String, Optional)}, connected as {@code options} say (credentials, timeouts, pool size). */
  public static Stores open(String jdbcUrl, StoreOptions options, Optional<Path> keyEncryptionKeyFile) {
    return JdbcStores.open(jdbcUrl, options, keyEncryptionKeyFile);
  }

  /** Whether a JDBC URL holds a password (a {@code password} parameter, or {@code user:password@}). */
  public static boolean urlCarriesPassword(String jdbcUrl) {
    return JdbcStores.carriesPassword(jdbcUrl);
  }

  /** The embedded store in one SQLite file, created when missing, its key-encryption key beside it. */
  public static Stores sqlite(Path file) {
    return JdbcStores.sqlite(file);
  }

  /**
   * A fresh SQLite store in a temporary file, deleted on {@link #close()} or when the JVM exits; its private keys
   * are encrypted with a key that lives as long as the store, in memory only.
   */
  public static Stores temporary() {
    return JdbcStores.temporary();
  }

  /**
   * The name this used to have when the store lived in memory; kept for existing callers. Now the same as
   * {@link #temporary()}: an empty store that ends with {@link #close()} or the process.
   */
  public static Stores inMemory() {
    return temporary();
  }

  public AccountStore accounts() {
    return accounts;
  }

  public UserStore users() {
    return users;
  }

  public RefreshTokenStore refreshTokens() {
    return refreshTokens;
  }

  public SigningKeyStore signingKeys() {
    return signingKeys;
  }

  /** Rate-limit buckets kept in the database, when the store keeps them. */
  public Optional<BucketStore> buckets() {
    return buckets;
  }

  /** Whether several server nodes share this database (PostgreSQL), rather than one process (SQLite). */
  public boolean sharedByNodes() {
    return sharedByNodes;
  }

  /**
   * Empty while the database takes work; otherwise since when and why not. While it is unreachable, every use of
   * the stores fails at once with {@link StoreUnavailableException} (no wait for a connection), so a readiness
   * check may simply ask this.
   */
  public Optional<StoreOutage> outage() {
    return outage.get();
  }

  /** Releases the database; closing twice is harmless. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      resources.close();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new StoreException("closing the store failed", e);
    }
  }
}
