package io.meshyauth.server.store.jdbc;

import io.meshyauth.server.store.Page;
import io.meshyauth.server.store.UserQuery;
import io.meshyauth.server.store.Usernames;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of one user search, index-backed on both databases. A name is a prefix of one of three keys (the
 * normalised username, the lower-cased first and last names), each a range {@code [prefix, prefix + U+10FFFF)} of
 * its own index ({@code UNIQUE (account_name, username_key)}, {@code users_by_first_name}, {@code
 * users_by_last_name}), which compare by code point on both (V7). A role is a range of {@code user_roles_by_role}.
 * The count runs over the same set; a page deep in the results costs its offset in index entries.
 */
final class UserSearch {
  /** Above every code point: a prefix's range ends here. */
  private static final String MAX = new String(Character.toChars(Character.MAX_CODE_POINT));

  private final String accountName;
  private final UserQuery query;
  private final List<String> values = new ArrayList<>();
  private final String where;

  UserSearch(String accountName, UserQuery query) {
    this.accountName = accountName;
    this.query = query;
    var clauses = new StringBuilder("account_name = ?");
    values.add(accountName);
    if (query.activeOnly()) {
      clauses.append(" AND active = TRUE");
    }
    query.name().map(UserSearch::key).filter(key -> !key.isEmpty()).ifPresent(key -> {
      clauses.append(" AND id IN (");
      var keys = List.of("username_key", "first_name_key", "last_name_key");
      for (int i = 0; i < keys.size(); i++) {
        clauses.append(i == 0 ? "" : " UNION ").append("SELECT id FROM users WHERE account_name = ? AND ")
            .append(keys.get(i)).append(" >= ? AND ").append(keys.get(i)).append(" < ?");
        values.add(accountName);
        values.add(key);
        values.add(key + MAX);
      }
      clauses.append(")");
    });
    query.roleName().ifPresent(role -> {
      clauses.append(" AND id IN (SELECT user_id FROM user_roles WHERE account_name = ? AND role = ?)");
      values.add(accountName);
      values.add(role);
    });
    this.where = clauses.toString();
  }

  /** Writes the search keys of users that have names but no keys: those of a store migrated to V7. */
  static void keyNames(Database database) {
    database.write(connection -> {
      var keys = new java.util.LinkedHashMap<String, String[]>();
      try (var statement = connection.prepareStatement("""
          SELECT id, first_name, last_name FROM users
          WHERE (first_name IS NOT NULL AND first_name_key IS NULL) OR (last_name IS NOT NULL AND last_name_key IS NULL)
          """); var rows = statement.executeQuery()) {
        while (rows.next()) {
          var first = rows.getString("first_name");
          var last = rows.getString("last_name");
          keys.put(rows.getString("id"),
              new String[] {first == null ? null : key(first), last == null ? null : key(last)});
        }
      }
      try (var statement = connection.prepareStatement(
          "UPDATE users SET first_name_key = ?, last_name_key = ? WHERE id = ?")) {
        for (var entry : keys.entrySet()) {
          statement.setString(1, entry.getValue()[0]);
          statement.setString(2, entry.getValue()[1]);
          statement.setString(3, entry.getKey());
          statement.addBatch();
        }
        statement.executeBatch();
      }
      return null;
    });
  }

  /** A first or last name as the search compares it: as a username is normalised (NFC, lower case, NFC). */
  static String key(String name) {
    try {
      return Usernames.normalise(name);
    } catch (IllegalArgumentException e) {
      return ""; // blank
    }
  }

  String countSql() {
    return "SELECT COUNT(*) FROM users WHERE " + where;
  }

  String pageSql(String select) {
    var order = new StringBuilder();
    for (var by : query.orderBy()) {
      order.append(column(by.field())).append(by.ascending() ? " ASC" : " DESC")
          // the two databases put NULLs at opposite ends unless told
          .append(nullable(by.field()) ? " NULLS LAST, " : ", ");
    }
    if (query.orderBy().isEmpty()) {
      order.append("username_key ASC, ");
    }
    order.append("id ASC");
    return select + " WHERE " + where + " ORDER BY " + order + " LIMIT ? OFFSET ?";
  }

  void bind(PreparedStatement statement) throws SQLException {
    for (int i = 0; i < values.size(); i++) {
      statement.setString(i + 1, values.get(i));
    }
  }

  void bindPage(PreparedStatement statement) throws SQLException {
    bind(statement);
    statement.setInt(values.size() + 1, query.pageSize());
    statement.setLong(values.size() + 2, Page.offset(query.page(), query.pageSize()));
  }

  private static boolean nullable(UserQuery.Field field) {
    return switch (field) {
      case FIRST_NAME, LAST_NAME, EMAIL_ADDRESS, PHONE_NUMBER -> true;
      default -> false;
    };
  }

  private static String column(UserQuery.Field field) {
    return switch (field) {
      case ID -> "id";
      case USERNAME -> "username_key";
      case FIRST_NAME -> "first_name_key";
      case LAST_NAME -> "last_name_key";
      case EMAIL_ADDRESS -> "email_address";
      case PHONE_NUMBER -> "phone_number";
      case VERIFIED -> "verified";
      case IS_ACTIVE -> "active";
      case ANONYMOUS -> "anonymous";
    };
  }

  @Override
  public String toString() {
    return "UserSearch[" + accountName + ", " + query + "]";
  }
}
