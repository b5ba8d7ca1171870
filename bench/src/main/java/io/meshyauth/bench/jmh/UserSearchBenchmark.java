package io.meshyauth.bench.jmh;

import io.meshyauth.bench.DurablePostgres;
import io.meshyauth.server.store.Page;
import io.meshyauth.server.store.Stores;
import io.meshyauth.server.store.User;
import io.meshyauth.server.store.UserProfile;
import io.meshyauth.server.store.UserQuery;
import io.meshyauth.server.store.jdbc.JdbcStores;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The administration's user search ({@link io.meshyauth.server.store.UserStore#searchUsers}) against the size of
 * one account, on SQLite (a file, as the server keeps it) and on PostgreSQL (embedded, as {@code --postgres} runs
 * it). Each trial fills one account with {@code users} users: usernames {@code first.last<n>}, first and last names
 * drawn from lists of 64 with a Zipf-like skew (common names are common), so that the prefix {@code mar} (one rare
 * first name, one rare last name) matches about 0.8% of the account; five roles, {@value #ROLE} held by 10%; every
 * tenth user inactive. Every search leaves inactive users out, as the API does by default, and asks for pages of
 * 25. Sample time: JMH reports each benchmark's p50 and p99.
 *
 * <p>{@code countAll} asks for a page past the end of the whole account: the store then runs its {@code COUNT(*)}
 * alone (no page query), which is what {@code totalRecords} adds to a search of every active user. bench/run's JMH
 * timing ({@code -wi 3 -w 2s -i 5 -r 2s}) applies: 36 forks, about 13 minutes on 2 cores.
 *
 * <p>SQLite is left without {@code ANALYZE} statistics, as the server leaves it; PostgreSQL is vacuumed and analysed
 * after the fill, as its autovacuum would soon be (else the first searches set the rows' hint bits as they read).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
public class UserSearchBenchmark {
  static final String NAME = "mar";
  static final String ROLE = "Editor";
  static final int PAGE_SIZE = 25;
  /** Users created per call (one transaction each). */
  private static final int CHUNK = 5_000;
  /** Roles and the share of users (per hundred) that hold each; a user holds at most one. */
  private static final List<String> ROLES = List.of("Editor", "Billing", "Support", "Auditor", "Admin");
  private static final int[] ROLE_SHARES = {10, 5, 3, 2, 1};
  /** Most common first; {@code Marta} and {@code Marsh} (the only names that begin with "mar") are rare. */
  private static final List<String> FIRST_NAMES = List.of(("James Helen John Patricia Robert Jennifer Michael Linda "
      + "William Elizabeth David Barbara Richard Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Nancy "
      + "Daniel Lisa Matthew Betty Anthony Sandra Donald Ashley Steven Kimberly Paul Emily Andrew Donna Joshua "
      + "Michelle Kenneth Carol Kevin Amanda Brian Dorothy George Melissa Timothy Deborah Ronald Marta Edward "
      + "Stephanie Jason Rebecca Jeffrey Sharon Ryan Laura Jacob Cynthia Gary Kathleen Nicholas Amy").split(" "));
  private static final List<String> LAST_NAMES = List.of(("Smith Johnson Williams Brown Jones Garcia Miller Davis "
      + "Rodriguez Wilson Anderson Taylor Thomas Hernandez Moore Jackson Lee Perez Thompson White Harris Sanchez "
      + "Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams "
      + "Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz "
      + "Edwards Collins Reyes Stewart Morris Marsh Murphy Cook Rogers Morgan Peterson").split(" "));
  /** A hash as the server stores one: the row as long as a real user's. */
  private static final String PASSWORD_HASH =
      "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$8J0zGxm9cB4tYp3kHq1yWzA0Vf5eR2uN7sLdXo6iMgU";

  @Param({"sqlite", "postgres"})
  public String store;

  @Param({"1000", "10000", "100000"})
  public int users;

  private EmbeddedPostgres postgres;
  private Path directory;
  private Stores stores;
  private UserQuery nameSearch;
  private UserQuery roleFilter;
  private UserQuery deepPage;
  private UserQuery lastNameDescending;
  private UserQuery oneUser;
  private UserQuery countAll;

  @Setup
  public void setUp() throws IOException, SQLException {
    directory = Files.createTempDirectory("user-search-bench");
    String url;
    if (store.equals("postgres")) {
      postgres = DurablePostgres.start();
      url = postgres.getJdbcUrl("postgres", "postgres");
    } else {
      url = "jdbc:sqlite:" + directory.resolve("store.db");
    }
    var key = Optional.of(directory.resolve("meshy-auth.key"));
    var started = System.nanoTime();
    // the fill's batches as multi-row INSERTs on PostgreSQL (createUsers reads back which rows it added)
    var fillProperties = new Properties();
    fillProperties.setProperty("reWriteBatchedInserts", "true");
    try (var filling = JdbcStores.open(url, postgres == null ? new Properties() : fillProperties, key)) {
      fill(filling, users);
    }
    if (postgres != null) {
      try (var connection = postgres.getPostgresDatabase().getConnection();
          var statement = connection.createStatement()) {
        statement.execute("VACUUM ANALYZE");
      }
    }
    var filled = Duration.ofNanos(System.nanoTime() - started);
    stores = JdbcStores.open(url, key);

    var active = users - users / 10;
    var all = List.<UserQuery.Order>of();
    nameSearch = new UserQuery(Optional.of(NAME), Optional.empty(), true, all, 1, PAGE_SIZE);
    roleFilter = new UserQuery(Optional.empty(), Optional.of(ROLE), true, all, 1, PAGE_SIZE);
    deepPage = new UserQuery(Optional.empty(), Optional.empty(), true,
        List.of(new UserQuery.Order(UserQuery.Field.USERNAME, true)), active * 9 / 10 / PAGE_SIZE + 1, PAGE_SIZE);
    lastNameDescending = new UserQuery(Optional.empty(), Optional.empty(), true,
        List.of(new UserQuery.Order(UserQuery.Field.LAST_NAME, false)), 1, PAGE_SIZE);
    // past the last page: the store counts and reads no page
    countAll = new UserQuery(Optional.empty(), Optional.empty(), true, all, active / PAGE_SIZE + 2, PAGE_SIZE);

    var account = Fixtures.ACCOUNT;
    // the active user whose username sorts last: the search that finds it alone
    var last = stores.users().searchUsers(account, new UserQuery(Optional.empty(), Optional.empty(), true,
        List.of(new UserQuery.Order(UserQuery.Field.USERNAME, false)), 1, 1)).results().get(0).username();
    oneUser = new UserQuery(Optional.of(last), Optional.empty(), true, all, 1, PAGE_SIZE);
    var deep = stores.users().searchUsers(account, deepPage);
    System.out.printf(Locale.ROOT, "%n%s, %d users filled in %.1f s: %d active; name \"%s\" matches %d, role %s %d; "
            + "the deep page is page %d of %d (%d users); \"%s\" matches %d%n", store, users,
        filled.toMillis() / 1000.0, active, NAME, stores.users().searchUsers(account, nameSearch).totalRecords(), ROLE,
        stores.users().searchUsers(account, roleFilter).totalRecords(), deepPage.page(),
        (deep.totalRecords() + PAGE_SIZE - 1) / PAGE_SIZE, deep.results().size(), last,
        stores.users().searchUsers(account, oneUser).totalRecords());
    if (deep.totalRecords() != active || deep.results().size() != PAGE_SIZE
        || stores.users().searchUsers(account, oneUser).results().size() != 1
        || stores.users().searchUsers(account, countAll).results().size() != 0) {
      throw new IllegalStateException("the fill is not what the queries expect");
    }
  }

  @TearDown
  public void tearDown() throws IOException {
    stores.close();
    if (postgres != null) {
      postgres.close();
    }
    try (var files = Files.list(directory)) {
      for (var file : files.toList()) {
        Files.delete(file);
      }
    }
    Files.delete(directory);
  }

  /**
   * The account and its roles, then {@code count} users in transactions of {@value #CHUNK}, the same users for
   * the same count on every run.
   */
  public static void fill(Stores stores, int count) {
    Fixtures.account(stores);
    var roles = stores.roles().orElseThrow();
    var now = Instant.now();
    for (var role : ROLES) {
      roles.createRole(Fixtures.ACCOUNT, role, Optional.of(role + "s of the bench account"), now);
    }
    var random = new SplittableRandom(42);
    var batch = new ArrayList<User>(CHUNK);
    for (int i = 0; i < count; i++) {
      var first = skewed(random, FIRST_NAMES);
      var last = skewed(random, LAST_NAMES);
      var local = first.toLowerCase(Locale.ROOT) + "." + last.toLowerCase(Locale.ROOT) + i;
      var created = now.minusSeconds(count - i);
      var userRoles = new ArrayList<UserProfile.Role>();
      var bucket = i % 100;
      for (int r = 0, upTo = 0; r < ROLES.size(); r++) {
        if (bucket >= upTo && bucket < upTo + ROLE_SHARES[r]) {
          userRoles.add(new UserProfile.Role(ROLES.get(r), created));
        }
        upTo += ROLE_SHARES[r];
      }
      var profile = new UserProfile(Optional.of(first), Optional.of(last), Optional.of(local + "@example.com"),
          Optional.empty(), userRoles, List.of());
      batch.add(new User(String.format(Locale.ROOT, "%024x", i + 1L), Fixtures.ACCOUNT, local,
          Optional.of(PASSWORD_HASH), i % 10 != 9, true, false, created, profile));
      if (batch.size() == CHUNK || i == count - 1) {
        if (!stores.users().createUsers(Fixtures.ACCOUNT, batch).isEmpty()) {
          throw new IllegalStateException("usernames of the fill were taken");
        }
        batch.clear();
      }
    }
  }

  /** An element of the list, the first ones the most often: index i with probability ln((i+2)/(i+1)) / ln(n+1). */
  private static String skewed(SplittableRandom random, List<String> names) {
    return names.get((int) Math.pow(names.size() + 1, random.nextDouble()) - 1);
  }

  /** Page 1 of the users whose username, first or last name begins with "mar". */
  @Benchmark
  public Page<User> namePrefix() {
    return stores.users().searchUsers(Fixtures.ACCOUNT, nameSearch);
  }

  /** Page 1 of the holders of the role held by 10%. */
  @Benchmark
  public Page<User> roleFilter() {
    return stores.users().searchUsers(Fixtures.ACCOUNT, roleFilter);
  }

  /** The whole account ordered by username, the page at 90% of it. */
  @Benchmark
  public Page<User> deepPage() {
    return stores.users().searchUsers(Fixtures.ACCOUNT, deepPage);
  }

  /** The whole account ordered by last name, descending: page 1. */
  @Benchmark
  public Page<User> lastNameDescending() {
    return stores.users().searchUsers(Fixtures.ACCOUNT, lastNameDescending);
  }

  /** totalRecords alone for the whole account (a page past the end: no page query). */
  @Benchmark
  public Page<User> countAll() {
    return stores.users().searchUsers(Fixtures.ACCOUNT, countAll);
  }

  /**
   * Page 1 of a name that one user's username begins with: the active user whose username sorts last, so that a
   * page query that walks the account in username order walks all of it.
   */
  @Benchmark
  public Page<User> oneUser() {
    return stores.users().searchUsers(Fixtures.ACCOUNT, oneUser);
  }
}
