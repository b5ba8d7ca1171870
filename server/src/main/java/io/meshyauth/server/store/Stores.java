package io.meshyauth.server.store;

import io.meshyauth.server.courier.Outbox;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The narrow stores the grant logic works on, and what holds them open. One JDBC implementation backs all
 * four: SQLite in one file by default, PostgreSQL when several nodes share state. The database files are
 * created readable by their owner only, and private signing keys are stored encrypted. The implementation's
 * factories live with it: {@code store.jdbc.JdbcStores}.
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
  private final Probe probe;
  private final Supplier<Optional<StoreOutage>> outage;
  private final Function<String, byte[]> keys;
  private final Optional<Outbox> outbox;
  private final Optional<RoleStore> roles;
  private final AutoCloseable resources;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** The readiness probe's question to the store (see {@link #ping}). */
  @FunctionalInterface
  public interface Probe {
    StoreHealth ping(Duration timeout);
  }

  /**
   * Stores of one process, with no rate-limit buckets of their own: the server keeps them in memory. Their
   * probe asks the account store whether it has accounts, and waits as long as that takes.
   */
  public Stores(AccountStore accounts, UserStore users, RefreshTokenStore refreshTokens,
      SigningKeyStore signingKeys, AutoCloseable resources) {
    this(accounts, users, refreshTokens, signingKeys, Optional.empty(), false, timeout -> {
      accounts.hasAccounts();
      return StoreHealth.READY;
    }, Optional::empty, resources);
  }

  /**
   * @param buckets rate-limit buckets in the database, counted by every process that opens it
   * @param sharedByNodes whether several nodes serve from this database (PostgreSQL): then every limit lives
   *     there, not only the security budgets
   * @param probe what {@link #ping} asks
   * @param outage whether the database takes work now, as the work on it last found
   * @param resources what {@link #close()} releases, e.g. a connection pool
   */
  public Stores(AccountStore accounts, UserStore users, RefreshTokenStore refreshTokens,
      SigningKeyStore signingKeys, Optional<BucketStore> buckets, boolean sharedByNodes, Probe probe,
      Supplier<Optional<StoreOutage>> outage, AutoCloseable resources) {
    this(accounts, users, refreshTokens, signingKeys, buckets, sharedByNodes, probe, outage, processKeys(),
        Optional.empty(), resources);
  }

  /**
   * @param keys a secret key for each purpose, the same on every node that shares the store (see
   *     {@link #secretKey})
   * @param outbox the courier's outbox in the same database, where the store has one
   */
  public Stores(AccountStore accounts, UserStore users, RefreshTokenStore refreshTokens,
      SigningKeyStore signingKeys, Optional<BucketStore> buckets, boolean sharedByNodes, Probe probe,
      Supplier<Optional<StoreOutage>> outage, Function<String, byte[]> keys, Optional<Outbox> outbox,
      AutoCloseable resources) {
    this(accounts, users, refreshTokens, signingKeys, buckets, sharedByNodes, probe, outage, keys, outbox,
        Optional.empty(), resources);
  }

  /** @param roles roles, permissions and permissibles, where the store keeps them (the JDBC store does) */
  public Stores(AccountStore accounts, UserStore users, RefreshTokenStore refreshTokens,
      SigningKeyStore signingKeys, Optional<BucketStore> buckets, boolean sharedByNodes, Probe probe,
      Supplier<Optional<StoreOutage>> outage, Function<String, byte[]> keys, Optional<Outbox> outbox,
      Optional<RoleStore> roles, AutoCloseable resources) {
    this.roles = Objects.requireNonNull(roles, "roles");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.outbox = Objects.requireNonNull(outbox, "outbox");
    this.buckets = Objects.requireNonNull(buckets, "buckets");
    this.sharedByNodes = sharedByNodes;
    this.probe = Objects.requireNonNull(probe, "probe");
    this.outage = Objects.requireNonNull(outage, "outage");
    this.accounts = Objects.requireNonNull(accounts, "accounts");
    this.users = Objects.requireNonNull(users, "users");
    this.refreshTokens = Objects.requireNonNull(refreshTokens, "refreshTokens");
    this.signingKeys = Objects.requireNonNull(signingKeys, "signingKeys");
    this.resources = Objects.requireNonNull(resources, "resources");
  }

  /**
   * A 32-byte secret for {@code purpose} (e.g. the MAC of verification hashes), the same for every node that
   * shares the store and every restart: derived from the key-encryption key, and never stored itself.
   */
  public byte[] secretKey(String purpose) {
    return keys.apply(purpose);
  }

  /** For stores of one process: a random key per purpose, which lasts as long as the process. */
  private static Function<String, byte[]> processKeys() {
    var made = new ConcurrentHashMap<String, byte[]>();
    var random = new SecureRandom();
    return purpose -> made.computeIfAbsent(purpose, p -> {
      var key = new byte[32];
      random.nextBytes(key);
      return key;
    }).clone();
  }

  /** The courier's outbox, kept in the same database: absent from stores of one process (tests). */
  public Optional<Outbox> outbox() {
    return outbox;
  }

  /** Roles, permissions and permissibles: absent from stores of one process (tests), which serve no administration. */
  public Optional<RoleStore> roles() {
    return roles;
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

  /** Registers the meters of what holds the stores open (the connection pool), when it has any. */
  public void bindMetrics(MeterRegistry registry) {
    if (resources instanceof MeterBinder binder) {
      binder.bindTo(registry);
    }
  }

  /**
   * Whether the store answers a cheap query within {@code timeout} and records the key-encryption key this process
   * holds, for a readiness probe: returns within about {@code timeout} and never throws.
   */
  public StoreHealth ping(Duration timeout) {
    // during an outage every query fails at once anyway; no probe needs to find that out again
    if (outage.get().filter(StoreOutage::unreachable).isPresent()) {
      return StoreHealth.STORE_FAILED;
    }
    try {
      return probe.ping(timeout);
    } catch (RuntimeException e) {
      return StoreHealth.STORE_FAILED;
    }
  }

  /**
   * Empty while the database takes work; otherwise since when and why not. While it is unreachable, every use of
   * the stores fails at once with {@link StoreUnavailableException} (no wait for a connection).
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
