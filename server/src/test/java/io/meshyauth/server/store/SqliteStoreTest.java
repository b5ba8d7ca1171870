package io.meshyauth.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshyauth.server.store.jdbc.JdbcStores;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on SQLite: one file per test class, and a new file for each test that asks. */
class SqliteStoreTest extends StoreSuite {
  private final AtomicInteger files = new AtomicInteger();
  @TempDir
  static Path directory;

  @Override
  Backend backend() {
    return () -> {
      var file = directory.resolve("store-" + files.incrementAndGet() + ".db");
      return () -> JdbcStores.sqlite(file);
    };
  }

  /** Another process on the same file (the CLI, say) adds a client: this one accepts it within a second. */
  @Test
  void aClientAddedByAnotherProcessIsFoundWithinASecond() throws InterruptedException {
    var file = directory.resolve("shared.db");
    try (var server = JdbcStores.sqlite(file); var cli = JdbcStores.sqlite(file)) {
      server.accounts().createAccount(Fixtures.account("acme", "web"));
      assertThat(server.accounts().findAccount("acme").orElseThrow().clientIds()).containsExactly("web");

      cli.accounts().addClient("acme", "mobile");

      var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!server.accounts().findAccount("acme").orElseThrow().hasClient("mobile")
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(server.accounts().findAccount("acme").orElseThrow().clientIds())
          .containsExactlyInAnyOrder("web", "mobile");
    }
  }

  /** Readers hammering an account while clients are added: once added, a client is always found at once. */
  @Test
  void aClientAddedWhileOthersReadTheAccountIsFoundAtOnce() throws Exception {
    try (var stores = JdbcStores.sqlite(directory.resolve("racing.db"))) {
      stores.accounts().createAccount(Fixtures.account("acme", "web"));
      var stop = new java.util.concurrent.atomic.AtomicBoolean();
      var readers = java.util.concurrent.Executors.newFixedThreadPool(8);
      try {
        for (int i = 0; i < 8; i++) {
          readers.submit(() -> {
            while (!stop.get()) {
              stores.accounts().findAccount("acme");
            }
          });
        }
        for (int i = 1; i <= 50; i++) {
          stores.accounts().addClient("acme", "client-" + i);
          assertThat(stores.accounts().findAccount("acme").orElseThrow().hasClient("client-" + i))
              .as("client-%d right after it was added", i).isTrue();
        }
      } finally {
        stop.set(true);
        readers.shutdown();
        assertThat(readers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      }
    }
  }

  @Test
  void sqliteStoreLivesInTheNamedFile() {
    var file = directory.resolve("named.db");

    try (var named = JdbcStores.sqlite(file)) {
      named.accounts().createAccount(Fixtures.account("acme", "web"));
    }

    assertThat(file).isNotEmptyFile();
    try (var reopened = JdbcStores.open("jdbc:sqlite:" + file)) {
      assertThat(reopened.accounts().findAccount("acme")).isPresent();
    }
  }

  @Test
  void inMemoryIsStillAFreshStore() {
    try (var stores = JdbcStores.temporary(); var other = JdbcStores.temporary()) {
      stores.accounts().createAccount(Fixtures.account("acme", "web"));

      assertThat(other.accounts().hasAccounts()).isFalse();
    }
  }

  @Test
  void urlOfNeitherDatabaseIsRefusedNamingWhatIsSupported() {
    assertThatThrownBy(() -> JdbcStores.open("jdbc:h2:mem:x?password=secret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jdbc:sqlite:")
        .hasMessageContaining("jdbc:postgresql:")
        .hasMessageNotContaining("secret");
  }

  @Test
  void sqliteInMemoryUrlIsRefused() {
    assertThatThrownBy(() -> JdbcStores.open("jdbc:sqlite::memory:")).isInstanceOf(IllegalArgumentException.class);
  }
}
