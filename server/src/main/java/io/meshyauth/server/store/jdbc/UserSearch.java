package io.meshyauth.server.store.jdbc;

import io.meshyauth.server.store.Page;
import io.meshyauth.server.store.UserQuery;
import io.meshyauth.server.store.Usernames;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of one user search, driven by indexes on both databases whatever their planners estimate.
 *
 * <ul>
 *   <li>A name is a prefix of one of three keys (the normalised username, the first and last names keyed alike),
 *       each a range {@code [prefix, prefix + U+10FFFF)} of its own index ({@code UNIQUE (account_name,
 *       username_key)}, {@code users_by_first_name}, {@code users_by_last_name}), which compare by code point on both
 *       (V7). The matches are the union of the three ranges' rows, so no other row of the account is read.
 *   <li>A role alone is a range of {@code user_roles_by_role}, each holder then found by its primary key: forced
 *       on SQLite by a {@code CROSS JOIN} (its left table is the outer loop), on PostgreSQL by a {@code LATERAL}
 *       subquery that {@code OFFSET 0} keeps from being flattened into a join the planner could turn into a scan.
 *       With a name, the role is a probe of {@code user_roles}' primary key for each match.
 *   <li>With neither, the page is read in order from the index of its first sort key where there is one.
 * </ul>
 *
 * The matches are counted for {@code totalRecords} by the same query; a page deep in the results costs its offset
 * in rows.
 */
final class UserSearch {
  /** Above every code point: a prefix's range ends here. */
  private static final String MAX = new String(Character.toChars(Character.MAX_CODE_POINT));
  private static final String COLUMNS = """
      users.id, users.account_name, users.username_key, users.username, users.password_hash, users.active,
      users.verified, users.anonymous, users.created_at, users.first_name, users.last_name, users.email_address,
      users.phone_number, users.first_name_key, users.last_name_key""";

  private final Dialect dialect;
  private final UserQuery query;
  private final List<String> values = new ArrayList<>();
  private final String matches;

  UserSearch(Dialect dialect, String accountName, UserQuery query) {
    this.dialect = dialect;
    this.query = query;
    var active = query.activeOnly() ? " AND users.active = TRUE" : "";
    var name = query.name().map(UserSearch::key).filter(key -> !key.isEmpty());
    if (name.isPresent()) {
      var branches = new ArrayList<String>();
      for (var key : List.of("username_key", "first_name_key", "last_name_key")) {
        var branch = new StringBuilder("SELECT " + COLUMNS + " FROM users WHERE users.account_name = ? AND users."
            + key + " >= ? AND users." + key + " < ?" + active);
        values.addAll(List.of(accountName, name.get(), name.get() + MAX));
        query.roleName().ifPresent(role -> {
          branch.append(" AND EXISTS (SELECT 1 FROM user_roles WHERE user_roles.account_name = users.account_name"
              + " AND user_roles.user_id = users.id AND user_roles.role = ?)");
          values.add(role);
        });
        branches.add(branch.toString());
      }
      matches = String.join(" UNION ", branches);
    } else if (query.roleName().isPresent()) {
      values.addAll(List.of(accountName, query.roleName().get()));
      matches = switch (dialect) {
        case SQLITE -> "SELECT " + COLUMNS + " FROM user_roles CROSS JOIN users"
            + " WHERE user_roles.account_name = ? AND user_roles.role = ?"
            + " AND users.account_name = user_roles.account_name AND users.id = user_roles.user_id" + active;
        case POSTGRESQL -> "SELECT " + COLUMNS + " FROM user_roles CROSS JOIN LATERAL (SELECT * FROM users"
            + " WHERE users.account_name = user_roles.account_name AND users.id = user_roles.user_id" + active
            + " OFFSET 0) users WHERE user_roles.account_name = ? AND user_roles.role = ?";
      };
    } else {
      values.add(accountName);
      matches = "SELECT " + COLUMNS + " FROM users WHERE users.account_name = ?" + active;
    }
  }

  /** A first or last name as the search compares it: as a username is normalised (NFC, lower case, NFC). */
  static String key(String name) {
    try {
      return Usernames.normalise(name);
    } catch (IllegalArgumentException e) {
      return ""; // blank
    }
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

  String countSql() {
    return "SELECT COUNT(*) FROM (" + matches + ") matches";
  }

  String pageSql() {
    var order = new StringBuilder();
    for (var by : query.orderBy()) {
      order.append(column(by.field())).append(by.ascending() ? " ASC" : " DESC")
          // the two databases put NULLs at opposite ends unless told
          .append(nullable(by.field()) ? " NULLS LAST, " : ", ");
    }
    order.append("username_key ASC, id ASC");
    return "SELECT * FROM (" + matches + ") matches ORDER BY " + order + " LIMIT ? OFFSET ?";
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
    return "UserSearch[" + dialect + ", " + query + "]";
  }
}
