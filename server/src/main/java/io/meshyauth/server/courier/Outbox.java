package io.meshyauth.server.courier;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The messages waiting to be delivered, and what became of those that were: a table, so that a message survives a
 * restart and whichever node is free delivers it. The message itself is kept encrypted while it waits and deleted
 * once it is sent or given up; the rest is metadata (an {@link Entry}).
 *
 * <p>Delivery is at least once. A node claims due messages, which leases them to it ({@link #claim}); if it dies
 * before it marks one sent, the lease runs out and another node (or the same one restarted) sends it again. So a
 * crash in the middle of a send, or a send that outlasts the lease, may deliver a message twice; never none.
 */
public interface Outbox {
  /** Queues the message, due at once, in a transaction of its own; returns its id ({@link RenderedMessage#id}). */
  String queue(RenderedMessage message, Instant now);

  /**
   * At most {@code limit} queued messages due at {@code now}, soonest first, each leased to the caller until
   * {@code now + lease} and its attempt counted: no other claim returns them meanwhile, on this node or another.
   */
  List<Claimed> claim(Instant now, Duration lease, int limit);

  /** Marks a claimed message sent and deletes its content; false if it is no longer queued. */
  boolean sent(String id, Instant now);

  /**
   * Leaves a claimed message queued, due again at {@code nextAttempt}, with why the attempt failed; false if the
   * message was since claimed again ({@code attempt} is no longer its last) or is no longer queued.
   */
  boolean retry(String id, int attempt, Instant nextAttempt, String error);

  /** Gives a claimed message up and deletes its content; false as {@link #retry}. */
  boolean failed(String id, int attempt, Instant now, String error);

  /** The queued messages: how many, the oldest's creation, the soonest due. */
  Backlog backlog();

  /** The newest messages first, at most {@code limit}, of one status or all: their metadata, for the CLI. */
  List<Entry> list(Optional<Status> status, int limit);

  /** Deletes the sent and failed messages created before {@code before}; returns how many. */
  int purge(Instant before);

  enum Status {
    QUEUED, SENT, FAILED;

    /** As the table keeps it. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Status ofId(String id) {
      return valueOf(id.toUpperCase(Locale.ROOT));
    }
  }

  /**
   * A message leased to the caller for its {@code attempt}-th attempt (counting this one). Its content is empty when
   * it does not decrypt (another key-encryption key, or altered): such a message cannot be sent.
   */
  record Claimed(String id, Message.Kind kind, String recipientHint, int attempt,
      Optional<RenderedMessage> message) {
  }

  /** The queued messages at a glance, for the metrics and the dispatcher's sleep. */
  record Backlog(long waiting, Optional<Instant> oldestCreated, Optional<Instant> nextDue) {
    public static final Backlog EMPTY = new Backlog(0, Optional.empty(), Optional.empty());
  }

  /** What the outbox keeps of a message besides its content. */
  record Entry(String id, String account, Message.Kind kind, Message.Medium channel, String recipientHint,
      Status status, int attempts, Instant nextAttemptAt, Optional<String> lastError, Instant createdAt,
      Optional<Instant> sentAt) {
  }
}
