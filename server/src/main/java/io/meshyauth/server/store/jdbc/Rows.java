package io.meshyauth.server.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Optional;

/** Instants as the schema keeps them: epoch milliseconds, NULL for none. */
final class Rows {
  private Rows() {
  }

  static long millis(Instant instant) {
    return instant.toEpochMilli();
  }

  static Instant instant(ResultSet rows, String column) throws SQLException {
    return Instant.ofEpochMilli(rows.getLong(column));
  }

  static Optional<Instant> optionalInstant(ResultSet rows, String column) throws SQLException {
    long millis = rows.getLong(column);
    return rows.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
  }

  static void setOptionalString(PreparedStatement statement, int index, Optional<String> value)
      throws SQLException {
    if (value.isPresent()) {
      statement.setString(index, value.get());
    } else {
      statement.setNull(index, Types.VARCHAR);
    }
  }

  static Optional<String> optionalString(ResultSet rows, String column) throws SQLException {
    return Optional.ofNullable(rows.getString(column));
  }
}
