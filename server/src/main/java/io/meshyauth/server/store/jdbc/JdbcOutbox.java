package io.meshyauth.server.store.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshyauth.server.courier.Message;
import io.meshyauth.server.courier.Outbox;
import io.meshyauth.server.courier.RenderedMessage;
import io.meshyauth.server.store.StoreException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The courier's outbox in the {@code courier_messages} table. A message is stored encrypted with the key-encryption
 * key (see {@link KeyEncryptionKey#encrypt(byte[], String, Map)}), its row's id in the protected header, and its
 * ciphertext deleted once it is sent or given up.
 *
 * <p>Claims: on PostgreSQL {@code SELECT ... FOR UPDATE SKIP LOCKED} locks the due rows it returns and passes over
 * those another node's claim holds, so that concurrent claims on several nodes never return the same row; the
 * claim then moves each row's {@code next_attempt_at} one lease ahead and counts the attempt, in the same
 * transaction. On SQLite the same statements run in one {@code BEGIN IMMEDIATE} transaction: one writer at a time
 * serialises the claims of every process on the file. The attempt counted is a fence: a node that comes back
 * after its lease ran out and another node claimed the message cannot retry it or give it up any more.
 */
final class JdbcOutbox implements Outbox {
  static final String CONTENT_TYPE = "courier-message+json";
  /** The private header parameter that names the row a ciphertext belongs to. */
  static final String ROW_PARAM = "courier_message";
  /** Enough of an error to tell what went wrong; a server's whole answer is not kept. */
  static final int MAX_ERROR_LENGTH = 1_000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(JdbcOutbox.class);
  private static final String COLUMNS = """
      id, account_name, kind, channel, recipient_hint, status, attempts, next_attempt_at, last_error, created_at,
      sent_at""";

  private final Database database;
  private final KeyEncryptionKey encryption;
  private final String claimDue;

  JdbcOutbox(Database database, KeyEncryptionKey encryption) {
    this.database = database;
    this.encryption = encryption;
    this.claimDue = """
        SELECT id, kind, recipient_hint, attempts, sealed_message FROM courier_messages
        WHERE status = 'queued' AND next_attempt_at <= ?
        ORDER BY next_attempt_at, created_at, id
        LIMIT ?""" + (database.dialect() == Dialect.POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : "");
  }

  @Override
  public String queue(RenderedMessage message, Instant now) {
    var sealed = seal(message);
    database.write(connection -> {
      insert(connection, message, sealed, now);
      return null;
    });
    return message.id();
  }

  /**
   * Queues the message in the caller's transaction on {@code connection}: for a JDBC store whose write causes the
   * message (a user registered, a reset asked for), so that the two commit together or not at all. The caller
   * wakes the courier once it has committed ({@code Courier.queuedInTransaction}).
   */
  String queue(Connection connection, RenderedMessage message, Instant now) throws SQLException {
    insert(connection, message, seal(message), now);
    return message.id();
  }

  private static void insert(Connection connection, RenderedMessage rendered, String sealed, Instant now)
      throws SQLException {
    var message = rendered.message();
    try (var statement = connection.prepareStatement("""
        INSERT INTO courier_messages (id, account_name, kind, channel, recipient_hint, status, attempts,
                                      next_attempt_at, created_at, sealed_message)
        VALUES (?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?)
        """)) {
      statement.setString(1, rendered.id());
      statement.setString(2, message.account());
      statement.setString(3, message.kind().id());
      statement.setString(4, message.kind().medium().id());
      statement.setString(5, message.recipientHint());
      statement.setLong(6, Rows.millis(now));
      statement.setLong(7, Rows.millis(now));
      statement.setString(8, sealed);
      statement.executeUpdate();
    }
  }

  @Override
  public List<Claimed> claim(Instant now, Duration lease, int limit) {
    record Row(String id, Message.Kind kind, String hint, int attempt, String sealed) {
    }
    var rows = database.write(connection -> {
      var due = new ArrayList<Row>();
      try (var select = connection.prepareStatement(claimDue)) {
        select.setLong(1, Rows.millis(now));
        select.setInt(2, limit);
        try (var result = select.executeQuery()) {
          while (result.next()) {
            due.add(new Row(result.getString("id"), Message.Kind.ofId(result.getString("kind")),
                result.getString("recipient_hint"), result.getInt("attempts") + 1,
                result.getString("sealed_message")));
          }
        }
      }
      if (!due.isEmpty()) {
        try (var update = connection.prepareStatement(
            "UPDATE courier_messages SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ?")) {
          for (var row : due) {
            update.setLong(1, Rows.millis(now.plus(lease)));
            update.setString(2, row.id());
            update.addBatch();
          }
          update.executeBatch();
        }
      }
      return due;
    });
    // decrypted once the rows are claimed: outside the transaction, which on SQLite holds the one write lock
    return rows.stream()
        .map(row -> new Claimed(row.id(), row.kind(), row.hint(), row.attempt(), open(row.id(), row.sealed())))
        .toList();
  }

  @Override
  public boolean sent(String id, Instant now) {
    return update("""
        UPDATE courier_messages SET status = 'sent', sent_at = ?, sealed_message = NULL
        WHERE id = ? AND status = 'queued'
        """, statement -> {
          statement.setLong(1, Rows.millis(now));
          statement.setString(2, id);
        });
  }

  @Override
  public boolean retry(String id, int attempt, Instant nextAttempt, String error) {
    return update("""
        UPDATE courier_messages SET next_attempt_at = ?, last_error = ?
        WHERE id = ? AND status = 'queued' AND attempts = ?
        """, statement -> {
          statement.setLong(1, Rows.millis(nextAttempt));
          statement.setString(2, truncate(error));
          statement.setString(3, id);
          statement.setInt(4, attempt);
        });
  }

  @Override
  public boolean failed(String id, int attempt, Instant now, String error) {
    return update("""
        UPDATE courier_messages SET status = 'failed', next_attempt_at = ?, last_error = ?, sealed_message = NULL
        WHERE id = ? AND status = 'queued' AND attempts = ?
        """, statement -> {
          statement.setLong(1, Rows.millis(now));
          statement.setString(2, truncate(error));
          statement.setString(3, id);
          statement.setInt(4, attempt);
        });
  }

  @Override
  public Backlog backlog() {
    return database.read(connection -> {
      try (var statement = connection.prepareStatement("""
          SELECT COUNT(*) AS waiting, MIN(created_at) AS oldest, MIN(next_attempt_at) AS next_due
          FROM courier_messages WHERE status = 'queued'
          """); var rows = statement.executeQuery()) {
        rows.next();
        return new Backlog(rows.getLong("waiting"), Rows.optionalInstant(rows, "oldest"),
            Rows.optionalInstant(rows, "next_due"));
      }
    });
  }

  @Override
  public List<Entry> list(Optional<Status> status, int limit) {
    return database.read(connection -> {
      try (var statement = connection.prepareStatement("SELECT " + COLUMNS + " FROM courier_messages"
          + (status.isPresent() ? " WHERE status = ?" : "") + " ORDER BY created_at DESC, id LIMIT ?")) {
        int index = 1;
        if (status.isPresent()) {
          statement.setString(index++, status.get().id());
        }
        statement.setInt(index, limit);
        try (var rows = statement.executeQuery()) {
          var entries = new ArrayList<Entry>();
          while (rows.next()) {
            entries.add(entry(rows));
          }
          return entries;
        }
      }
    });
  }

  @Override
  public int purge(Instant before) {
    return database.write(connection -> {
      try (var statement = connection.prepareStatement(
          "DELETE FROM courier_messages WHERE status IN ('sent', 'failed') AND created_at < ?")) {
        statement.setLong(1, Rows.millis(before));
        return statement.executeUpdate();
      }
    });
  }

  private static Entry entry(ResultSet rows) throws SQLException {
    return new Entry(rows.getString("id"), rows.getString("account_name"), Message.Kind.ofId(rows.getString("kind")),
        Message.Medium.valueOf(rows.getString("channel").toUpperCase(Locale.ROOT)),
        rows.getString("recipient_hint"), Status.ofId(rows.getString("status")), rows.getInt("attempts"),
        Rows.instant(rows, "next_attempt_at"), Rows.optionalString(rows, "last_error"),
        Rows.instant(rows, "created_at"), Rows.optionalInstant(rows, "sent_at"));
  }

  @FunctionalInterface
  private interface Parameters {
    void set(PreparedStatement statement) throws SQLException;
  }

  private boolean update(String sql, Parameters parameters) {
    return database.write(connection -> {
      try (var statement = connection.prepareStatement(sql)) {
        parameters.set(statement);
        return statement.executeUpdate() == 1;
      }
    });
  }

  private static String truncate(String error) {
    return error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH - 3) + "...";
  }

  /** The message as JSON, encrypted for its row. */
  private String seal(RenderedMessage rendered) {
    var message = rendered.message();
    var fields = new LinkedHashMap<String, Object>();
    fields.put("kind", message.kind().id());
    fields.put("account", message.account());
    fields.put("username", message.username());
    fields.put("to", message.to());
    fields.put("code", message.code());
    fields.put("expires", Rows.millis(message.expires()));
    fields.put("subject", rendered.subject());
    fields.put("text", rendered.text());
    byte[] plaintext;
    try {
      plaintext = JSON.writeValueAsBytes(fields);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write courier message " + rendered.id() + " as JSON", e);
    }
    try {
      return encryption.encrypt(plaintext, CONTENT_TYPE, Map.of(ROW_PARAM, rendered.id()));
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  /** The message stored in row {@code id}; empty, and said in the log, when it does not decrypt there. */
  private Optional<RenderedMessage> open(String id, String sealed) {
    byte[] plaintext = null;
    try {
      plaintext = encryption.decrypt(sealed, CONTENT_TYPE, Map.of(ROW_PARAM, id), "courier message " + id);
      JsonNode fields = JSON.readTree(plaintext);
      var message = new Message(Message.Kind.ofId(fields.get("kind").asText()), fields.get("account").asText(),
          fields.get("username").asText(), fields.get("to").asText(), fields.get("code").asText(),
          Instant.ofEpochMilli(fields.get("expires").asLong()));
      return Optional.of(new RenderedMessage(id, message, fields.get("subject").asText(),
          fields.get("text").asText()));
    } catch (StoreException e) {
      LOG.warn("courier message {} cannot be read: {}", id, e.getMessage());
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      // not the parser's message, which may quote the plaintext
      LOG.warn("courier message {} decrypts to no message ({})", id, e.getClass().getSimpleName());
      return Optional.empty();
    } finally {
      if (plaintext != null) {
        Arrays.fill(plaintext, (byte) 0);
      }
    }
  }
}
