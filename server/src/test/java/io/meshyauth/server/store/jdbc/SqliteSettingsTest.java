package io.meshyauth.server.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshyauth.server.store.Account;
import io.meshyauth.server.values.Scope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What makes the embedded store durable and safe with concurrent writers, as each connection sees it. */
class SqliteSettingsTest {
  @TempDir
  Path directory;

  @Test
  void everyConnectionWritesAheadSyncsEveryCommitWaitsForLocksAndChecksForeignKeys() {
    try (var database = JdbcStores.database("jdbc:sqlite:" + directory.resolve("settings.db"), new Properties(),
        () -> { })) {
      for (int i = 0; i < JdbcStores.SQLITE_POOL_SIZE; i++) {
        assertThat(pragma(database, "journal_mode")).isEqualTo("wal");
        assertThat(pragma(database, "synchronous")).isEqualTo("2"); // FULL
        assertThat(pragma(database, "busy_timeout")).isEqualTo(
            String.valueOf(JdbcStores.SQLITE_BUSY_TIMEOUT.toMillis()));
        assertThat(pragma(database, "foreign_keys")).isEqualTo("1");
      }
    }
  }

  @Test
  void temporaryStoreIsFreshAndItsFilesGoWhenItCloses() throws Exception {
    try (var stores = JdbcStores.temporaryIn(directory)) {
      assertThat(stores.accounts().hasAccounts()).isFalse();
      stores.accounts().createAccount(new Account("acme", Set.of("web"), Scope.parse("meshy.api"),
          Duration.ofHours(1), Duration.ofDays(1), 60));
      try (var files = Files.list(directory)) {
        assertThat(files).isNotEmpty();
      }
    }

    try (var files = Files.list(directory)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void theDatabaseItsLogItsSharedMemoryAndItsKeyFileAreReadableByTheirOwnerOnly() throws Exception {
    assumeTrue(Files.getFileStore(directory).supportsFileAttributeView(PosixFileAttributeView.class),
        "a file system with POSIX permissions");
    var file = directory.resolve("meshy-auth.db");

    try (var stores = JdbcStores.sqlite(file)) {
      stores.accounts().createAccount(new Account("acme", Set.of("web"), Scope.parse("meshy.api"),
          Duration.ofHours(1), Duration.ofDays(1), 60));
      // while a connection is open, in WAL mode: the log and the shared-memory index exist
      var files = List.of(file, Path.of(file + "-wal"), Path.of(file + "-shm"), directory.resolve("meshy-auth.key"));
      assertThat(files).allSatisfy(f -> assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------"));
    }
  }

  @Test
  void theKeyFileIsBesideTheDatabaseNamedAfterItSoThatItsCompanionsGlobDoesNotTakeItAlong() {
    assertThat(JdbcStores.keyFileBeside("jdbc:sqlite:" + directory.resolve("meshy-auth.db")))
        .isEqualTo(directory.resolve("meshy-auth.key"));
    assertThat(JdbcStores.keyFileBeside("jdbc:sqlite:" + directory.resolve("store")))
        .isEqualTo(directory.resolve("store.key"));
    assertThat(JdbcStores.keyFileBeside("jdbc:sqlite:" + directory.resolve("odd.key")))
        .isEqualTo(directory.resolve("odd.key.key"));
    assertThat(JdbcStores.keyFileBeside("jdbc:sqlite:file:" + directory.resolve("uri.db") + "?cache=private"))
        .isEqualTo(directory.resolve("uri.key"));
  }

  @Test
  void anExistingDatabaseKeepsItsMode() throws Exception {
    assumeTrue(Files.getFileStore(directory).supportsFileAttributeView(PosixFileAttributeView.class),
        "a file system with POSIX permissions");
    var file = directory.resolve("shared.db");
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));

    try (var stores = JdbcStores.sqlite(file)) {
      assertThat(mode(file)).isEqualTo("rw-r-----");
    }
  }

  private static String mode(Path file) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  private static String pragma(Database database, String name) {
    return database.read(connection -> {
      try (var statement = connection.createStatement(); var rows = statement.executeQuery("PRAGMA " + name)) {
        rows.next();
        return rows.getString(1);
      }
    });
  }
}
