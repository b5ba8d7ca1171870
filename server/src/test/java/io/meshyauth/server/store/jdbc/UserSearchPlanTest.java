package io.meshyauth.server.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshyauth.server.store.PostgresBackend;
import io.meshyauth.server.store.User;
import io.meshyauth.server.store.UserProfile;
import io.meshyauth.server.store.UserQuery;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user search reads no row of the account beyond those that match a name prefix or hold a role: its plans on
 * 20,000 users (a twentieth hold the role searched for, all hold another), read from each database's EXPLAIN, search index ranges and never scan {@code users} or {@code
 * user_roles} (a plan, not a time: the figures are the benchmark's, {@code UserSearchBenchmark}).
 */
class UserSearchPlanTest {
  private static final String ACCOUNT = "plans";
  private static final int USERS = 20_000;
  private static final List<String> FIRST = List.of("Ada", "Bea", "Cal", "Dan", "Eve", "Fay", "Gus", "Hal", "Ida",
      "Jo", "Kai", "Lou", "Mara", "Ned", "Oli", "Pia", "Quin", "Rex", "Sol", "Tea");

  @TempDir
  java.nio.file.Path directory;

  @Test
  void onSqliteANameOrARoleSearchesIndexRangesOnly() throws SQLException {
    try (var stores = JdbcStores.sqlite(directory.resolve("plans.db"))) {
      var roleId = fill(stores);
      try (var database = JdbcStores.database("jdbc:sqlite:" + directory.resolve("plans.db"), new Properties(),
          () -> { })) {
        for (var query : queries()) {
          var plan = plan(database, "EXPLAIN QUERY PLAN ", query);
          // neither a scan of a table nor a walk of the account's whole range of an index
          assertThat(plan).as("%s: %s", query, plan).doesNotContainPattern("SCAN (users|user_roles)\\b")
              .doesNotContainPattern("INDEX \\S+ \\(account_name=\\?\\)");
          assertThat(plan).as("%s", query).contains("SEARCH");
        }
      }
      assertThat(roleId).isNotNull();
    }
  }

  @Test
  void onPostgresqlANameOrARoleSearchesIndexRangesOnly() throws SQLException {
    var postgres = PostgresBackend.shared().newDatabase();
    try (var stores = postgres.open()) {
      fill(stores);
      try (var database = JdbcStores.database(postgres.jdbcUrl(), new Properties(), () -> { })) {
        // what autovacuum does soon after a bulk load: the planner then knows the tables' sizes
        database.write(connection -> {
          try (var statement = connection.createStatement()) {
            statement.execute("ANALYZE");
          }
          return null;
        });
        for (var query : queries()) {
          var plan = plan(database, "EXPLAIN ", query);
          assertThat(plan).as("%s: %s", query, plan).doesNotContain("Seq Scan on users")
              .doesNotContain("Seq Scan on user_roles")
              .doesNotContainPattern("(?m)Index Cond: \\(account_name = '[a-z]+'::text\\)$");
          assertThat(plan).as("%s", query).contains("Index");
        }
      }
    }
  }

  /** A name about 1% of the users have (first name Mara), a role 5% hold, and both together, each on page 1. */
  private static List<UserQuery> queries() {
    return List.of(
        new UserQuery(Optional.of("mar"), Optional.empty(), true, List.of(), 1, 25),
        new UserQuery(Optional.empty(), Optional.of("editors"), true, List.of(), 1, 25),
        new UserQuery(Optional.of("mar"), Optional.of("editors"), true,
            List.of(new UserQuery.Order(UserQuery.Field.LAST_NAME, false)), 1, 25));
  }

  private static String plan(Database database, String explain, UserQuery query) {
    var search = new UserSearch(database.dialect(), ACCOUNT, query);
    var lines = new ArrayList<String>();
    for (var sql : List.of(search.countSql(), search.pageSql())) {
      database.read(connection -> {
        try (var statement = connection.prepareStatement(explain + sql)) {
          if (sql.endsWith("OFFSET ?")) {
            search.bindPage(statement);
          } else {
            search.bind(statement);
          }
          try (var rows = statement.executeQuery()) {
            while (rows.next()) {
              lines.add(rows.getString(rows.getMetaData().getColumnCount()));
            }
          }
        }
        return null;
      });
    }
    return String.join("\n", lines);
  }

  /** 20,000 users, a twentieth of them with first name Mara, role editors held by every twentieth, members by all. */
  private static String fill(io.meshyauth.server.store.Stores stores) {
    stores.accounts().createAccount(new io.meshyauth.server.store.Account(ACCOUNT, java.util.Set.of("plans-key"),
        io.meshyauth.server.Provisioning.DEFAULT_SCOPES, java.time.Duration.ofHours(1), java.time.Duration.ofDays(1),
        6000));
    var role = stores.roles().orElseThrow().createRole(ACCOUNT, "editors", Optional.empty(), Instant.now());
    var now = Instant.now();
    var batch = new ArrayList<User>();
    var editors = new ArrayList<String>();
    for (int i = 0; i < USERS; i++) {
      var first = FIRST.get(i % FIRST.size());
      var id = UUID.randomUUID().toString();
      batch.add(new User(id, ACCOUNT, first.toLowerCase(java.util.Locale.ROOT) + "." + i, Optional.of("x"), i % 10 != 0,
          true, false, now, UserProfile.EMPTY.withNames(Optional.of(first), Optional.of("Surname" + (i % 500)))));
      if (i % 20 == 7) {
        editors.add(id);
      }
      if (batch.size() == 5_000) {
        stores.users().createUsers(ACCOUNT, batch);
        batch.clear();
      }
    }
    stores.roles().orElseThrow().addMembers(ACCOUNT, role.id(), editors, now);
    // and a role everyone holds, so that the editors are a twentieth of user_roles as well
    var members = stores.roles().orElseThrow().createRole(ACCOUNT, "members", Optional.empty(), now);
    var everyone = stores.users().searchUsers(ACCOUNT, new UserQuery(Optional.empty(), Optional.empty(), false,
        List.of(), 1, 1)).totalRecords();
    assertThat(everyone).isEqualTo(USERS);
    var ids = new ArrayList<String>();
    stores.users().listUsers(ACCOUNT).forEach(user -> ids.add(user.id()));
    stores.roles().orElseThrow().addMembers(ACCOUNT, members.id(), ids, now);
    return role.id();
  }
}
