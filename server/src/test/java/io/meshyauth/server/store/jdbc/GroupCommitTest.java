package io.meshyauth.server.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshyauth.server.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SQLite writers that queue behind a commit share the next one, each unit still all-or-nothing. */
class GroupCommitTest {
  private static final int QUEUED = 10;
  /** Values of SQLite's {@code PRAGMA synchronous}. */
  private static final int NORMAL = 1;
  private static final int FULL = 2;

  @TempDir
  Path directory;
  private Database database;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void openWithAScratchTable() {
    database = JdbcStores.database("jdbc:sqlite:" + directory.resolve("group.db"), new Properties(), () -> { });
    database.write(connection -> execute(connection, "CREATE TABLE scratch (k TEXT PRIMARY KEY)"));
  }

  @AfterEach
  void close() {
    release.countDown();
    threads.shutdownNow();
    database.close();
  }

  @Test
  void writersQueuedBehindACommitAllShareTheNextOne() throws Exception {
    var blocker = holdTheWriterSlot();
    var queued = queue(i -> connection -> execute(connection, "INSERT INTO scratch VALUES ('k" + i + "')"));
    long before = database.groupCommits();

    release.countDown();
    blocker.get(10, TimeUnit.SECONDS);
    for (var write : queued) {
      write.get(10, TimeUnit.SECONDS);
    }

    assertThat(database.groupCommits() - before).isEqualTo(2); // the blocker's, then one for all ten
    assertThat(keys()).hasSize(QUEUED + 1);
  }

  @Test
  void aFailingUnitIsRolledBackAloneAndOnlyItsCallerSeesTheFailure() throws Exception {
    var blocker = holdTheWriterSlot();
    var queued = queue(i -> connection -> {
      execute(connection, "INSERT INTO scratch VALUES ('k" + i + "')");
      if (i % 3 == 1) {
        throw new IllegalStateException("unit " + i + " fails after writing");
      }
      if (i % 3 == 2) {
        execute(connection, "INSERT INTO scratch VALUES ('blocker')"); // a duplicate key: SQLException
      }
      return null;
    });

    release.countDown();
    blocker.get(10, TimeUnit.SECONDS);
    var expected = new ArrayList<String>(List.of("blocker"));
    for (int i = 0; i < QUEUED; i++) {
      var write = queued.get(i);
      switch (i % 3) {
        case 1 -> assertThatThrownBy(() -> write.get(10, TimeUnit.SECONDS))
            .hasCauseInstanceOf(IllegalStateException.class);
        case 2 -> assertThatThrownBy(() -> write.get(10, TimeUnit.SECONDS))
            .hasCauseInstanceOf(StoreException.class);
        default -> {
          write.get(10, TimeUnit.SECONDS);
          expected.add("k" + i);
        }
      }
    }

    assertThat(keys()).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void aWriteWithoutSyncCommitsUnsyncedUnlessItsGroupHoldsASyncedOne() throws Exception {
    assertThat(database.writeWithoutSync(GroupCommitTest::synchronous)).isEqualTo(NORMAL);
    assertThat(database.write(GroupCommitTest::synchronous)).isEqualTo(FULL);

    var blocker = holdTheWriterSlot();
    var unsynced = threads.submit(() -> database.writeWithoutSync(GroupCommitTest::synchronous));
    awaitQueued(2);
    var synced = threads.submit(() -> database.write(GroupCommitTest::synchronous));
    awaitQueued(3);
    release.countDown();
    blocker.get(10, TimeUnit.SECONDS);

    assertThat(unsynced.get(10, TimeUnit.SECONDS)).as("committed with the synced write").isEqualTo(FULL);
    assertThat(synced.get(10, TimeUnit.SECONDS)).isEqualTo(FULL);
  }

  private static Integer synchronous(Connection connection) throws SQLException {
    try (var statement = connection.createStatement();
        var rows = statement.executeQuery("PRAGMA synchronous")) {
      assertThat(rows.next()).isTrue();
      return rows.getInt(1);
    }
  }

  private void awaitQueued(int writers) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (database.queuedWriters() < writers && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(database.queuedWriters()).isEqualTo(writers);
  }

  /** A write that keeps the writer slot until released, once it has written its row. */
  private Future<Object> holdTheWriterSlot() throws InterruptedException {
    var written = new CountDownLatch(1);
    var blocker = threads.submit(() -> database.write(connection -> {
      execute(connection, "INSERT INTO scratch VALUES ('blocker')");
      written.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    }));
    assertThat(written.await(10, TimeUnit.SECONDS)).isTrue();
    return blocker;
  }

  private List<Future<Object>> queue(IntFunction<Database.Work<Object>> work)
      throws InterruptedException {
    var writes = new ArrayList<Future<Object>>();
    for (int i = 0; i < QUEUED; i++) {
      var unit = work.apply(i);
      writes.add(threads.submit(() -> database.write(unit)));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (database.queuedWriters() < QUEUED + 1 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(database.queuedWriters()).isEqualTo(QUEUED + 1);
    return writes;
  }

  private List<String> keys() {
    return database.read(connection -> {
      var keys = new ArrayList<String>();
      try (var statement = connection.createStatement();
          var rows = statement.executeQuery("SELECT k FROM scratch")) {
        while (rows.next()) {
          keys.add(rows.getString(1));
        }
      }
      return keys;
    });
  }

  private static Object execute(Connection connection, String sql) throws SQLException {
    try (var statement = connection.createStatement()) {
      statement.execute(sql);
    }
    return null;
  }
}
