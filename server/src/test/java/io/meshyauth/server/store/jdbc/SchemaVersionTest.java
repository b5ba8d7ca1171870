package io.meshyauth.server.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  @Test
  void aStoreWhoseSchemaIsBehindIsMigratedWhenOpened() {
    var url = "jdbc:sqlite:" + directory.resolve("behind.db");
    try (var database = JdbcStores.database(url, new Properties(), () -> { })) {
      database.write(connection -> {
        try (var statement = connection.createStatement()) {
          // undo the newest script, V6
          statement.execute("DROP TABLE courier_messages");
          statement.execute("DELETE FROM flyway_schema_history WHERE version = '6'");
        }
        return null;
      });
    }

    try (var database = JdbcStores.database(url, new Properties(), () -> { })) {
      int messages = database.read(connection -> {
        try (var statement = connection.createStatement();
            var rows = statement.executeQuery("SELECT COUNT(*) FROM courier_messages")) {
          rows.next();
          return rows.getInt(1);
        }
      });
      assertThat(messages).isZero();
    }
  }
}
