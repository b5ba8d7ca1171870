package io.meshyauth.server.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.meshyauth.server.config.SettingKeys;
import io.meshyauth.server.courier.Outbox;
import io.meshyauth.server.store.BucketStore;
import io.meshyauth.server.store.StoreException;
import io.meshyauth.server.store.StoreOptions;
import io.meshyauth.server.store.Stores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Opens the JDBC store: SQLite or PostgreSQL by the URL, the schema migrated by Flyway
 * ({@code db/migration}, one set of scripts for both), connections pooled by HikariCP.
 *
 * <p>Durability: a write returns only after its commit, and a commit is on disk. SQLite runs in WAL mode with
 * {@code synchronous=FULL}, which syncs the log on every commit (NORMAL, the usual WAL setting, may lose the
 * last commits on a power cut). PostgreSQL commits synchronously unless the server was told otherwise; the
 * store warns when {@code synchronous_commit} is off.
 */
public final class JdbcStores {
  /** How long a writer waits for another process (say, the CLI) holding the SQLite file's write lock. */
  static final Duration SQLITE_BUSY_TIMEOUT = Duration.ofSeconds(10);
  /** Readers run side by side in WAL mode; writers queue in {@link Database}. */
  static final int SQLITE_POOL_SIZE = 4;
  private static final Duration MIN_LOGIN_TIMEOUT = Duration.ofSeconds(10);
  private static final String MIGRATIONS = "classpath:db/migration";
  private static final Logger LOG = LoggerFactory.getLogger(JdbcStores.class);

  private JdbcStores() {
  }

  /**
   * The store at {@code jdbcUrl}, its private signing keys encrypted with the key in {@code keyEncryptionKeyFile}
   * (created there on first start); for SQLite that file defaults to one beside the database (see
   * {@link #keyFileBeside}), PostgreSQL needs it named.
   */
  public static Stores open(String jdbcUrl, Properties driverProperties, Optional<Path> keyEncryptionKeyFile) {
    return open(jdbcUrl, driverProperties, StoreOptions.defaults(), keyEncryptionKeyFile);
  }

  /** As above, connected as {@code options} say: credentials, timeouts, pool size. */
  public static Stores open(String jdbcUrl, StoreOptions options, Optional<Path> keyEncryptionKeyFile) {
    return open(jdbcUrl, new Properties(), options, keyEncryptionKeyFile);
  }

  private static Stores open(String jdbcUrl, Properties driverProperties, StoreOptions options,
      Optional<Path> keyEncryptionKeyFile) {
    var database = database(jdbcUrl, driverProperties, options, () -> { });
    try {
      var file = keyEncryptionKeyFile.orElseGet(() -> keyFileBeside(jdbcUrl));
      var key = KeyEncryptionKeyFile.readOrCreate(file,
          JdbcSigningKeyStore.recordedKeyEncryptionKey(database));
      return stores(database, key, KeyEncryptionKeyFile.describe(file));
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  /**
   * The store at {@code jdbcUrl}, opened as {@link #open(String, StoreOptions, Optional)} opens it, and the courier's
   * outbox on the same database, its messages encrypted with the same key-encryption key. Closing the stores closes
   * the outbox too.
   */
  public static WithOutbox openWithOutbox(String jdbcUrl, StoreOptions options, Optional<Path> keyEncryptionKeyFile) {
    var database = database(jdbcUrl, new Properties(), options, () -> { });
    try {
      var file = keyEncryptionKeyFile.orElseGet(() -> keyFileBeside(jdbcUrl));
      var key = KeyEncryptionKeyFile.readOrCreate(file,
          JdbcSigningKeyStore.recordedKeyEncryptionKey(database));
      var stores = stores(database, key, KeyEncryptionKeyFile.describe(file));
      return new WithOutbox(stores, stores.outbox().orElseThrow());
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  /** The stores and the courier's outbox on one database; closing closes the database. */
  public record WithOutbox(Stores stores, Outbox outbox) implements AutoCloseable {
    @Override
    public void close() {
      stores.close();
    }
  }

  /** {@link #open(String, Properties, Optional)} with no driver properties. */
  public static Stores open(String jdbcUrl, Optional<Path> keyEncryptionKeyFile) {
    return open(jdbcUrl, new Properties(), keyEncryptionKeyFile);
  }

  /** A SQLite store, its key-encryption key beside it. */
  public static Stores open(String jdbcUrl) {
    return open(jdbcUrl, Optional.empty());
  }

  /** The embedded store in one SQLite file, created when missing, its key-encryption key beside it. */
  public static Stores sqlite(Path file) {
    return open(Dialect.SQLITE_PREFIX + file.toAbsolutePath(), new Properties(), Optional.empty());
  }

  /**
   * Where a SQLite store keeps its key-encryption key unless told otherwise: beside the database, named after
   * it with {@code .key} for its extension ({@code meshy-auth.db}: {@code meshy-auth.key}), so that copying
   * {@code meshy-auth.db*} copies the database without its key.
   */
  static Path keyFileBeside(String jdbcUrl) {
    if (Dialect.of(jdbcUrl) != Dialect.SQLITE) {
      throw new IllegalArgumentException("a PostgreSQL store needs " + SettingKeys.KEY_ENCRYPTION_KEY_FILE
          + ": the file with the key its private signing keys are encrypted with, the same on every node");
    }
    var database = sqliteFile(jdbcUrl).toAbsolutePath();
    var name = database.getFileName().toString();
    var dot = name.lastIndexOf('.');
    var key = database.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".key");
    return key.equals(database) ? database.resolveSibling(name + ".key") : key;
  }

  /** Whether the URL holds a password, which {@code ps} and every file holding the URL show. */
  public static boolean carriesPassword(String jdbcUrl) {
    return Dialect.carriesPassword(jdbcUrl);
  }

  /**
   * A fresh SQLite store in a temporary file, deleted on {@link Stores#close()} or when the JVM exits; its private
   * keys are encrypted with a key that lives as long as the store, in memory only.
   */
  public static Stores temporary() {
    return temporaryIn(Path.of(System.getProperty("java.io.tmpdir")));
  }

  static Stores temporaryIn(Path directory) {
    Path file;
    try {
      file = Files.createTempFile(directory, "meshy-auth-", ".db");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary store file", e);
    }
    // SQLite's companions of the file in WAL mode go with it
    var files = List.of(file, Path.of(file + "-wal"), Path.of(file + "-shm"));
    files.forEach(f -> f.toFile().deleteOnExit());
    Runnable delete = () -> files.forEach(JdbcStores::deleteQuietly);
    Database database;
    try {
      database = database(Dialect.SQLITE_PREFIX + file, new Properties(), delete);
    } catch (RuntimeException e) {
      delete.run();
      throw e;
    }
    try {
      // the store goes with the process, so its key may too: it never leaves memory
      return stores(database, KeyEncryptionKey.generate(), "a key-encryption key of this process");
    } catch (RuntimeException e) {
      database.close(); // and so deletes the files
      throw e;
    }
  }

  /** Brings the schema at that URL to the newest version and nothing else (no keys, no stores), as opening does. */
  public static void migrate(String jdbcUrl) {
    try (var database = database(jdbcUrl, new Properties(), () -> { })) {
      database.pool();
    }
  }

  /** The pool for that URL, its schema migrated; {@code afterClose} runs once the pool is closed. */
  static Database database(String jdbcUrl, Properties driverProperties, Runnable afterClose) {
    return database(jdbcUrl, driverProperties, StoreOptions.defaults(), afterClose);
  }

  static Database database(String jdbcUrl, Properties driverProperties, StoreOptions options, Runnable afterClose) {
    var dialect = Dialect.of(jdbcUrl);
    HikariDataSource pool;
    if (dialect == Dialect.SQLITE) {
      requireFile(jdbcUrl);
      createOwnerOnly(sqliteFile(jdbcUrl));
      pool = sqlitePool(jdbcUrl, driverProperties, options);
    } else {
      warnIfTheUrlCarriesAPassword(jdbcUrl);
      pool = postgresqlPool(jdbcUrl, driverProperties, options);
    }
    var availability = new Availability(retryAfter(options.connectTimeout()), () -> {
      try (var connection = pool.getConnection()) {
        return connection.isValid(seconds(options.connectTimeout()));
      }
    }, Clock.systemUTC());
    var database = new Database(pool, dialect, availability, afterClose);
    try {
      migrate(database);
      if (dialect == Dialect.POSTGRESQL) {
        warnUnlessCommitsAreSynchronous(database);
      }
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
    return database;
  }

  private static Stores stores(Database database, KeyEncryptionKey key, String keySource) {
    // PostgreSQL is what several nodes share; a SQLite file is shared only by processes on one machine
    boolean shared = database.dialect() == Dialect.POSTGRESQL;
    BucketStore buckets = shared ? new PostgresBucketStore(database) : new SqliteBucketStore(database);
    var outbox = new JdbcOutbox(database, key);
    return new Stores(new JdbcAccountStore(database), new JdbcUserStore(database, outbox),
        new JdbcRefreshTokenStore(database), JdbcSigningKeyStore.open(database, key, keySource), Optional.of(buckets),
        shared, new StoreProbe(database, key.thumbprint()), database::outage, key::derive,
        Optional.of(outbox), Optional.of(new JdbcRoleStore(database)), database);
  }

  /** Whole seconds, at least one: what the PostgreSQL driver's timeouts take. */
  private static int seconds(Duration duration) {
    return (int) Math.max(1, (duration.toMillis() + 999) / 1000);
  }

  /** A refused client retries after about the time the server takes to notice the store is back. */
  private static Duration retryAfter(Duration connectTimeout) {
    return Duration.ofSeconds(seconds(connectTimeout));
  }

  private static HikariDataSource sqlitePool(String jdbcUrl, Properties driverProperties, StoreOptions options) {
    var config = new SQLiteConfig(driverProperties);
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout((int) SQLITE_BUSY_TIMEOUT.toMillis());
    config.enforceForeignKeys(true);
    var dataSource = new SQLiteDataSource(config);
    dataSource.setUrl(jdbcUrl);
    var hikari = new HikariConfig();
    hikari.setDataSource(dataSource);
    hikari.setMaximumPoolSize(SQLITE_POOL_SIZE);
    return pool(hikari, jdbcUrl, options);
  }

  /**
   * The driver's own timeouts bound each step of reaching PostgreSQL, so that no request waits longer than the
   * connect timeout for a connection, nor for ever on one the network lost. What the URL says wins: the driver
   * reads its parameters over these properties.
   */
  private static HikariDataSource postgresqlPool(String jdbcUrl, Properties driverProperties, StoreOptions options) {
    var properties = new Properties();
    properties.setProperty("connectTimeout", Integer.toString(seconds(options.connectTimeout())));
    // the pool opens connections on a thread of its own, so a slow TLS handshake or login (a cold JVM on a busy
    // machine took seconds) delays no request beyond the connect timeout, and may take longer
    properties.setProperty("loginTimeout", Integer.toString(Math.max(seconds(options.connectTimeout()),
        (int) MIN_LOGIN_TIMEOUT.toSeconds())));
    properties.setProperty("socketTimeout", options.socketTimeout().isZero() ? "0"
        : Integer.toString(seconds(options.socketTimeout())));
    options.user().ifPresent(user -> properties.setProperty("user", user));
    options.password().ifPresent(password -> properties.setProperty("password", password));
    properties.putAll(driverProperties);
    var hikari = new HikariConfig();
    hikari.setDriverClassName("org.postgresql.Driver");
    hikari.setJdbcUrl(jdbcUrl);
    hikari.setDataSourceProperties(properties);
    hikari.setMaximumPoolSize(options.poolSize());
    return pool(hikari, jdbcUrl, options);
  }

  /**
   * A password in the URL is on the command line of every process given it ({@code ps} shows it) and in every
   * file that holds the URL; said once at start, without the password.
   */
  private static void warnIfTheUrlCarriesAPassword(String jdbcUrl) {
    if (Dialect.carriesPassword(jdbcUrl)) {
      LOG.warn("the store URL carries a password, which anyone who can list this machine's processes or read the "
          + "settings sees: set store.password (environment variable MESHY_AUTH_STORE_PASSWORD) or "
          + "store.password-file instead, and drop it from the URL");
    }
  }

  private static HikariDataSource pool(HikariConfig hikari, String jdbcUrl, StoreOptions options) {
    hikari.setPoolName("meshy-auth-store");
    // a request waits this long for a connection, then is answered 503 (HikariCP's default is 30 s)
    hikari.setConnectionTimeout(options.connectTimeout().toMillis());
    hikari.setValidationTimeout(Math.max(250, Math.min(options.connectTimeout().toMillis() / 2, 5_000)));
    try {
      return new HikariDataSource(hikari);
    } catch (RuntimeException e) {
      throw new StoreException("cannot open the store at " + Dialect.redact(jdbcUrl) + ": " + e.getMessage(), e);
    }
  }

  /** The versions of the scripts in {@code db/migration}, oldest first; a test keeps the two in step. */
  static final List<Integer> SCHEMA_VERSIONS = List.of(1, 2, 3, 4, 5, 6, 7, 8);

  /**
   * Flyway when the schema is behind (or new, or a migration failed); nothing when every script up to
   * {@link #SCHEMA_VERSIONS} is recorded as applied, which is one query instead of Flyway's start-up (a third
   * of a second on a small machine, at every start of the server and of every CLI command).
   */
  private static void migrate(Database database) {
    if (!schemaIsCurrent(database)) {
      migrateWithFlyway(database);
      UserSearch.keyNames(database);
    }
  }

  private static boolean schemaIsCurrent(Database database) {
    try {
      return database.read(connection -> {
        var applied = new java.util.HashSet<String>();
        try (var statement = connection.createStatement();
            var rows = statement.executeQuery(
                "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL")) {
          while (rows.next()) {
            if (!rows.getBoolean("success")) {
              return false;
            }
            applied.add(rows.getString("version"));
          }
        }
        for (int version : SCHEMA_VERSIONS) {
          if (!applied.remove(Integer.toString(version))) {
            return false;
          }
        }
        return applied.isEmpty();
      });
    } catch (StoreException e) {
      return false; // no history yet: a new store
    }
  }

  private static void migrateWithFlyway(Database database) {
    try {
      Flyway.configure(JdbcStores.class.getClassLoader())
          .dataSource(database.pool())
          .locations(MIGRATIONS)
          .placeholders(database.dialect().migrationPlaceholders())
          .failOnMissingLocations(true)
          .load()
          .migrate();
    } catch (FlywayException e) {
      throw new StoreException("migrating the store's schema failed: " + e.getMessage(), e);
    }
  }

  private static void warnUnlessCommitsAreSynchronous(Database database) {
    String mode = database.read(connection -> {
      try (var statement = connection.createStatement();
          var rows = statement.executeQuery("SHOW synchronous_commit")) {
        rows.next();
        return rows.getString(1);
      }
    });
    if ("off".equals(mode)) {
      LOG.warn("PostgreSQL has synchronous_commit=off: a crash of the database may lose refresh tokens that were "
          + "already handed out. Set it to on (the default) for the meshy-auth database.");
    }
  }

  /** The database file of a {@code jdbc:sqlite:} URL: what follows the prefix, without a {@code file:} or query. */
  static Path sqliteFile(String jdbcUrl) {
    var path = jdbcUrl.substring(Dialect.SQLITE_PREFIX.length());
    int query = path.indexOf('?');
    path = query < 0 ? path : path.substring(0, query);
    return Path.of(path.startsWith("file:") ? path.substring("file:".length()) : path);
  }

  /**
   * SQLite creates a database file 0644 (less the umask), and its -wal and -shm files with the database file's
   * mode: so the file is made first, readable by its owner only, and its companions follow. A file that exists
   * keeps its mode; the log says so when others may read it.
   */
  private static void createOwnerOnly(Path file) {
    try {
      OwnerOnlyFiles.create(file);
    } catch (FileAlreadyExistsException e) {
      OwnerOnlyFiles.warnIfOthersMayRead(file, "the store (password hashes, refresh token hashes)");
    } catch (IOException e) {
      // SQLite's own attempt will fail the same way, and say why in its words
      LOG.debug("cannot create {}", file, e);
    }
  }

  private static void requireFile(String jdbcUrl) {
    var path = jdbcUrl.substring(Dialect.SQLITE_PREFIX.length());
    if (path.isBlank() || path.contains(":memory:") || path.contains("mode=memory")) {
      // every pooled connection would see a database of its own
      throw new IllegalArgumentException("a SQLite store needs a file: jdbc:sqlite:<path>, was " + jdbcUrl);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.debug("could not delete {}", file, e);
    }
  }
}
