package io.meshyauth.server.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshyauth.server.store.Client;
import io.meshyauth.server.store.PostgresBackend;
import io.meshyauth.server.store.UserProfile;
import io.meshyauth.server.store.UserQuery;
import io.meshyauth.server.values.Operations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Opening a store runs Flyway only when the schema is behind, so the shortcut must know the newest script. */
class SchemaVersionTest {
  private static final Pattern SCRIPT = Pattern.compile("V(\\d+)__.+\\.sql");

  @TempDir
  Path directory;

  @Test
  void theSchemaVersionIsTheNewestMigrationScript() throws IOException {
    try (var scripts = Files.list(Path.of("src", "main", "resources", "db", "migration"))) {
      var versions = scripts.map(path -> SCRIPT.matcher(path.getFileName().toString()))
          .filter(Matcher::matches)
          .map(match -> Integer.parseInt(match.group(1)))
          .sorted()
          .toList();

      assertThat(versions).isEqualTo(JdbcStores.SCHEMA_VERSIONS);
    }
  }

  /**
   * A store of V6, whose roles were free-text names on its users, opened by this version: every name becomes a role
   * of its account, every user keeps the roles it had (with the dates they were given), and the token's claim,
   * read from the user, still names them.
   */
  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void aStoreWhoseSchemaIsBehindIsMigratedWhenOpenedAndKeepsItsFreeTextRoles(String kind) {
    var postgres = kind.equals("postgresql") ? Optional.of(PostgresBackend.shared().newDatabase())
        : Optional.<PostgresBackend.Database>empty();
    var url = postgres.map(PostgresBackend.Database::jdbcUrl)
        .orElse("jdbc:sqlite:" + directory.resolve("behind.db"));
    Flyway.configure(getClass().getClassLoader())
        .dataSource(url, null, null)
        .locations("classpath:db/migration")
        .target("6")
        .load()
        .migrate();
    try (var connection = DriverManager.getConnection(url); var statement = connection.createStatement()) {
      statement.execute("INSERT INTO accounts (name, allowed_scopes, access_token_lifetime_ms, "
          + "refresh_token_lifetime_ms, refresh_token_absolute_lifetime_ms, requests_per_minute, "
          + "anonymous_registration) VALUES ('demo', 'openid', 1, 1, 1, 1, FALSE)");
      for (var user : List.of("alice", "bob")) {
        statement.execute("INSERT INTO users (id, account_name, username_key, username, active, verified, anonymous, "
            + "created_at, first_name) VALUES ('" + user + "-id', 'demo', '" + user + "', '" + user
            + "', TRUE, TRUE, FALSE, 0, 'Ärger')");
      }
      statement.execute("INSERT INTO user_roles VALUES ('demo', 'alice-id', 'editor', 1000)");
      statement.execute("INSERT INTO user_roles VALUES ('demo', 'alice-id', 'meshy.user', 2000)");
      statement.execute("INSERT INTO user_roles VALUES ('demo', 'bob-id', 'editor', 3000)");
    } catch (SQLException e) {
      throw new AssertionError(e);
    }

    try (var stores = postgres.map(PostgresBackend.Database::open).orElseGet(() -> JdbcStores.open(url))) {
      var alice = stores.users().findUserById("demo", "alice-id").orElseThrow();
      assertThat(alice.profile().roles()).containsExactly(
          new UserProfile.Role("editor", Instant.ofEpochMilli(1000)),
          new UserProfile.Role("meshy.user", Instant.ofEpochMilli(2000)));
      var roles = stores.roles().orElseThrow();
      var editor = roles.findRoleByName("demo", "editor").orElseThrow();
      assertThat(editor.id()).matches("[0-9a-f]{24}");
      assertThat(editor.numberOfUsers()).isEqualTo(2);
      assertThat(roles.findRoleByName("demo", "meshy.user").orElseThrow().system()).isTrue();
      // the roles are data now: a permission given to the role reaches its holders
      roles.addPermission("demo", editor.id(), "users", new Operations(false, true, false, false));
      assertThat(stores.users().findUserById("demo", "bob-id").orElseThrow().profile().claimedPermissions())
          .containsExactly("users:read");
      // the first names were keyed for the search
      assertThat(stores.users().searchUsers("demo", new UserQuery(Optional.of("är"), Optional.empty(), true,
          List.of(), 1, 25)).totalRecords()).isEqualTo(2);
    }
  }

  /** A store of V7, where every client was public, opened by this version: its clients stay public, with no secret. */
  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void theClientsOfAStoreOfV7StayPublic(String kind) {
    var postgres = kind.equals("postgresql") ? Optional.of(PostgresBackend.shared().newDatabase())
        : Optional.<PostgresBackend.Database>empty();
    var url = postgres.map(PostgresBackend.Database::jdbcUrl)
        .orElse("jdbc:sqlite:" + directory.resolve("v7.db"));
    Flyway.configure(getClass().getClassLoader())
        .dataSource(url, null, null)
        .locations("classpath:db/migration")
        .placeholders((postgres.isPresent() ? Dialect.POSTGRESQL : Dialect.SQLITE).migrationPlaceholders())
        .target("7")
        .load()
        .migrate();
    try (var connection = DriverManager.getConnection(url); var statement = connection.createStatement()) {
      statement.execute("INSERT INTO accounts (name, allowed_scopes, access_token_lifetime_ms, "
          + "refresh_token_lifetime_ms, refresh_token_absolute_lifetime_ms, requests_per_minute, "
          + "anonymous_registration) VALUES ('demo', 'openid', 1, 1, 1, 1, FALSE)");
      statement.execute("INSERT INTO clients (account_name, client_id) VALUES ('demo', 'demo-key')");
    } catch (SQLException e) {
      throw new AssertionError(e);
    }

    try (var stores = postgres.map(PostgresBackend.Database::open).orElseGet(() -> JdbcStores.open(url))) {
      assertThat(stores.accounts().findClient("demo", "demo-key")).contains(Client.publicClient("demo", "demo-key"));
      assertThat(stores.accounts().listClients("demo")).containsExactly(Client.publicClient("demo", "demo-key"));
      assertThat(stores.accounts().findAccount("demo").orElseThrow().clientIds()).containsExactly("demo-key");
    }
  }
}
