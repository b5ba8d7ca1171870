package io.meshyauth.server.courier;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshyauth.server.courier.Outbox.Claimed;
import io.meshyauth.server.courier.Outbox.Status;
import io.meshyauth.server.testing.Daemons;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The JDBC outbox on SQLite and on PostgreSQL: claims, leases, the attempt fence, and the content at rest. */
class OutboxTest {
  private static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");
  private static final Duration LEASE = Duration.ofMinutes(1);

  @TempDir
  Path directory;

  private static RenderedMessage message(String code) {
    var message = new Message(Message.Kind.VERIFY_EMAIL, OutboxDatabase.ACCOUNT, "alice", "alice@example.com",
        code, T0.plus(Duration.ofMinutes(15)));
    return Templates.builtIn().render(message, T0);
  }

  @ParameterizedTest
  @EnumSource(OutboxDatabase.Kind.class)
  void aQueuedMessageIsClaimedOnceThenAgainOnlyAfterItsLeaseRunsOut(OutboxDatabase.Kind kind) {
    var database = OutboxDatabase.create(kind, directory);
    try (var store = database.open()) {
      var outbox = store.outbox();
      var queued = message("493817");
      outbox.queue(queued, T0);

      var first = outbox.claim(T0, LEASE, 10);
      assertThat(first).singleElement().satisfies(claimed -> {
        assertThat(claimed.id()).isEqualTo(queued.id());
        assertThat(claimed.attempt()).isEqualTo(1);
        assertThat(claimed.recipientHint()).isEqualTo("a***@example.com");
        assertThat(claimed.message()).contains(queued);
      });
      assertThat(outbox.claim(T0.plus(LEASE).minusMillis(1), LEASE, 10)).isEmpty();

      // the node that claimed it died: after the lease, another claims it, for a second attempt
      assertThat(outbox.claim(T0.plus(LEASE), LEASE, 10)).extracting(Claimed::attempt).containsExactly(2);
    }
  }

  @ParameterizedTest
  @EnumSource(OutboxDatabase.Kind.class)
  void aMessageToBeRetriedIsDueAgainAtItsNextAttempt(OutboxDatabase.Kind kind) {
    var database = OutboxDatabase.create(kind, directory);
    try (var store = database.open()) {
      var outbox = store.outbox();
      var id = outbox.queue(message("493817"), T0);
      outbox.claim(T0, LEASE, 10);

      assertThat(outbox.retry(id, 1, T0.plusSeconds(2), "SMTP 127.0.0.1:25: Connection refused")).isTrue();

      assertThat(outbox.backlog().nextDue()).contains(T0.plusSeconds(2));
      assertThat(outbox.claim(T0.plusSeconds(1), LEASE, 10)).isEmpty();
      assertThat(outbox.claim(T0.plusSeconds(2), LEASE, 10)).extracting(Claimed::attempt).containsExactly(2);
      assertThat(outbox.list(Optional.empty(), 10)).singleElement().satisfies(entry -> {
        assertThat(entry.status()).isEqualTo(Status.QUEUED);
        assertThat(entry.attempts()).isEqualTo(2);
        assertThat(entry.lastError()).contains("SMTP 127.0.0.1:25: Connection refused");
      });
    }
  }

  @ParameterizedTest
  @EnumSource(OutboxDatabase.Kind.class)
  void aSentMessageKeepsItsMetadataAndLosesItsContent(OutboxDatabase.Kind kind) {
    var database = OutboxDatabase.create(kind, directory);
    try (var store = database.open()) {
      var outbox = store.outbox();
      var id = outbox.queue(message("493817"), T0);
      outbox.claim(T0, LEASE, 10);

      assertThat(outbox.sent(id, T0.plusSeconds(1))).isTrue();

      assertThat(database.rows()).singleElement().satisfies(row -> {
        assertThat(row.get("status")).isEqualTo("sent");
        assertThat(row.get("sealed_message")).isNull();
        assertThat(((Number) row.get("sent_at")).longValue()).isEqualTo(T0.plusSeconds(1).toEpochMilli());
      });
      assertThat(outbox.list(Optional.of(Status.SENT), 10)).singleElement().satisfies(entry -> {
        assertThat(entry.id()).isEqualTo(id);
        assertThat(entry.account()).isEqualTo(OutboxDatabase.ACCOUNT);
        assertThat(entry.kind()).isEqualTo(Message.Kind.VERIFY_EMAIL);
        assertThat(entry.channel()).isEqualTo(Message.Medium.EMAIL);
        assertThat(entry.recipientHint()).isEqualTo("a***@example.com");
        assertThat(entry.sentAt()).contains(T0.plusSeconds(1));
        assertThat(entry.createdAt()).isEqualTo(T0);
      });
      assertThat(outbox.list(Optional.of(Status.QUEUED), 10)).isEmpty();
      assertThat(outbox.backlog()).isEqualTo(Outbox.Backlog.EMPTY);
      assertThat(outbox.sent(id, T0.plusSeconds(2))).isFalse();
      assertThat(outbox.claim(T0.plus(Duration.ofDays(1)), LEASE, 10)).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(OutboxDatabase.Kind.class)
  void aMessageGivenUpLosesItsContentAndKeepsWhy(OutboxDatabase.Kind kind) {
    var database = OutboxDatabase.create(kind, directory);
    try (var store = database.open()) {
      var outbox = store.outbox();
      var id = outbox.queue(message("493817"), T0);
      outbox.claim(T0, LEASE, 10);

      assertThat(outbox.failed(id, 1, T0.plusSeconds(1), "x".repeat(5_000))).isTrue();

      assertThat(database.rows()).singleElement().satisfies(row -> {
        assertThat(row.get("status")).isEqualTo("failed");
        assertThat(row.get("sealed_message")).isNull();
        assertThat((String) row.get("last_error")).hasSizeLessThanOrEqualTo(1_000).startsWith("xxx");
      });
      assertThat(outbox.claim(T0.plus(Duration.ofDays(1)), LEASE, 10)).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(OutboxDatabase.Kind.class)
  void aNodeWhoseLeaseRanOutCannotRetryOrGiveUpWhatAnotherClaimedSince(OutboxDatabase.Kind kind) {
    var database = OutboxDatabase.create(kind, directory);
    try (var store = database.open()) {
      var outbox = store.outbox();
      var id = outbox.queue(message("493817"), T0);
      outbox.claim(T0, LEASE, 10);
      outbox.claim(T0.plus(LEASE), LEASE, 10); // another node, attempt 2

      assertThat(outbox.retry(id, 1, T0, "late")).isFalse();
      assertThat(outbox.failed(id, 1, T0, "late")).isFalse();

      assertThat(outbox.list(Optional.empty(), 10)).singleElement().satisfies(entry -> {
        assertThat(entry.status()).isEqualTo(Status.QUEUED);
        assertThat(entry.nextAttemptAt()).isEqualTo(T0.plus(LEASE).plus(LEASE));
        assertThat(entry.lastError()).isEmpty();
      });
      assertThat(outbox.retry(id, 2, T0, "ours")).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(OutboxDatabase.Kind.class)
  void noColumnHoldsTheCodeTheAddressOrTheTextInClear(OutboxDatabase.Kind kind) {
    var database = OutboxDatabase.create(kind, directory);
    try (var store = database.open()) {
      var queued = message("493817");
      store.outbox().queue(queued, T0);

      assertThat(database.rows()).singleElement().satisfies(row -> {
        assertThat(row.values()).allSatisfy(value -> assertThat(String.valueOf(value))
            .doesNotContain("493817").doesNotContain("alice@example.com").doesNotContain("Hello alice"));
        // a compact JWE: the protected header, no key, the IV, the ciphertext, the tag
        assertThat((String) row.get("sealed_message")).startsWith("ey").contains("..");
      });
    }
  }

  @ParameterizedTest
  @EnumSource(OutboxDatabase.Kind.class)
  void aCiphertextMovedToAnotherRowDoesNotDecryptThere(OutboxDatabase.Kind kind) {
    var database = OutboxDatabase.create(kind, directory);
    try (var store = database.open()) {
      var outbox = store.outbox();
      var first = outbox.queue(message("111111"), T0);
      var second = outbox.queue(message("222222"), T0.plusMillis(1));
      var rows = database.rows();
      database.execute("UPDATE courier_messages SET sealed_message = ? WHERE id = ?",
          rows.get(0).get("sealed_message"), second);

      var claimed = outbox.claim(T0.plusSeconds(1), LEASE, 10);

      assertThat(claimed).extracting(Claimed::id).containsExactly(first, second);
      assertThat(claimed.get(0).message()).map(m -> m.message().code()).contains("111111");
      assertThat(claimed.get(1).message()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(OutboxDatabase.Kind.class)
  void theBacklogCountsTheQueuedMessagesAndTheOldest(OutboxDatabase.Kind kind) {
    var database = OutboxDatabase.create(kind, directory);
    try (var store = database.open()) {
      var outbox = store.outbox();
      assertThat(outbox.backlog()).isEqualTo(Outbox.Backlog.EMPTY);
      var first = outbox.queue(message("111111"), T0);
      outbox.queue(message("222222"), T0.plusSeconds(5));
      outbox.queue(message("333333"), T0.plusSeconds(9));
      outbox.claim(T0.plusSeconds(9), LEASE, 1);
      outbox.sent(first, T0.plusSeconds(10));

      assertThat(outbox.backlog())
          .isEqualTo(new Outbox.Backlog(2, Optional.of(T0.plusSeconds(5)), Optional.of(T0.plusSeconds(5))));
    }
  }

  @ParameterizedTest
  @EnumSource(OutboxDatabase.Kind.class)
  void purgingDeletesOnlyFinishedMessagesCreatedBeforeTheCutOff(OutboxDatabase.Kind kind) {
    var database = OutboxDatabase.create(kind, directory);
    try (var store = database.open()) {
      var outbox = store.outbox();
      var sentOld = outbox.queue(message("111111"), T0);
      var failedOld = outbox.queue(message("222222"), T0.plusMillis(1));
      var queuedOld = outbox.queue(message("333333"), T0.plusMillis(2));
      var sentNew = outbox.queue(message("444444"), T0.plus(Duration.ofDays(2)));
      outbox.claim(T0.plus(Duration.ofDays(2)), LEASE, 10);
      outbox.sent(sentOld, T0.plus(Duration.ofDays(2)));
      outbox.failed(failedOld, 1, T0.plus(Duration.ofDays(2)), "no");
      outbox.sent(sentNew, T0.plus(Duration.ofDays(2)));

      assertThat(outbox.purge(T0.plus(Duration.ofDays(1)))).isEqualTo(2);

      assertThat(outbox.list(Optional.empty(), 10)).extracting(Outbox.Entry::id)
          .containsExactly(sentNew, queuedOld);
    }
  }

  /**
   * Four claimers at once over 200 messages, each claiming small batches until none is left for it: every message
   * is claimed exactly once (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: one writer at a time).
   */
  @ParameterizedTest
  @EnumSource(OutboxDatabase.Kind.class)
  void concurrentClaimersClaimEveryMessageExactlyOnce(OutboxDatabase.Kind kind) throws Exception {
    var database = OutboxDatabase.create(kind, directory);
    try (var store = database.open()) {
      var outbox = store.outbox();
      var queued = new ArrayList<String>();
      for (int i = 0; i < 200; i++) {
        queued.add(outbox.queue(message(String.format(Locale.ROOT, "%06d", i)), T0));
      }
      var start = new CountDownLatch(1);
      var claimers = new ArrayList<CompletableFuture<List<String>>>();
      for (int i = 0; i < 4; i++) {
        claimers.add(CompletableFuture.supplyAsync(() -> {
          awaitQuietly(start);
          var mine = new ArrayList<String>();
          List<Claimed> batch;
          do {
            batch = outbox.claim(T0, Duration.ofHours(1), 7);
            batch.forEach(claimed -> mine.add(claimed.id()));
          } while (!batch.isEmpty());
          return mine;
        }, Daemons.THREADS));
      }
      start.countDown();

      var claimed = new ArrayList<String>();
      for (var claimer : claimers) {
        claimed.addAll(claimer.get(2, TimeUnit.MINUTES));
      }

      assertThat(claimed).hasSize(200).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(queued);
      assertThat(database.rows()).extracting(row -> ((Number) row.get("attempts")).intValue())
          .containsOnly(1);
      assertThat(outbox.claim(T0, Duration.ofHours(1), 500)).isEmpty();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
