package io.meshyauth.server.store.jdbc;

import io.meshyauth.server.store.DuplicateException;
import io.meshyauth.server.store.NotFoundException;
import io.meshyauth.server.store.User;
import io.meshyauth.server.store.UserStore;
import io.meshyauth.server.store.Usernames;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

final class JdbcUserStore implements UserStore {
  private static final String SELECT = """
      SELECT id, account_name, username_key, username, password_hash, active, verified, anonymous, created_at
      FROM users
      """;

  private final Database database;

  JdbcUserStore(Database database) {
    this.database = database;
  }

  @Override
  public Optional<User> findUser(String accountName, String username) {
    String key;
    try {
      key = Usernames.normalise(username);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return findOne(SELECT + " WHERE account_name = ? AND username_key = ?", accountName, key);
  }

  @Override
  public Optional<User> findUserById(String accountName, String userId) {
    return findOne(SELECT + " WHERE account_name = ? AND id = ?", accountName, userId);
  }

  @Override
  public void createUser(User user) {
    var key = Usernames.normalise(user.username());
    database.write(connection -> {
      try (var statement = connection.prepareStatement("SELECT 1 FROM accounts WHERE name = ?")) {
        statement.setString(1, user.accountName());
        try (var rows = statement.executeQuery()) {
          if (!rows.next()) {
            throw new NotFoundException("no account " + user.accountName());
          }
        }
      }
      try (var statement = connection.prepareStatement("""
          INSERT INTO users (id, account_name, username_key, username, password_hash, active, verified, anonymous,
                             created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT DO NOTHING
          """)) {
        statement.setString(1, user.id());
        statement.setString(2, user.accountName());
        statement.setString(3, key);
        statement.setString(4, user.username());
        Rows.setOptionalString(statement, 5, user.passwordHash());
        statement.setBoolean(6, user.active());
        statement.setBoolean(7, user.verified());
        statement.setBoolean(8, user.anonymous());
        statement.setLong(9, Rows.millis(user.createdAt()));
        if (statement.executeUpdate() == 0) {
          throw new DuplicateException("username " + user.username() + " is taken in account " + user.accountName());
        }
      }
      return null;
    });
  }

  @Override
  public void updateUser(User user) {
    database.write(connection -> {
      try (var statement = connection.prepareStatement("""
          UPDATE users SET password_hash = ?, active = ?, verified = ?
          WHERE account_name = ? AND id = ?
          """)) {
        Rows.setOptionalString(statement, 1, user.passwordHash());
        statement.setBoolean(2, user.active());
        statement.setBoolean(3, user.verified());
        statement.setString(4, user.accountName());
        statement.setString(5, user.id());
        if (statement.executeUpdate() == 0) {
          throw new NotFoundException("no user " + user.id() + " in account " + user.accountName());
        }
      }
      return null;
    });
  }

  @Override
  public boolean deleteUser(String accountName, String userId) {
    // its refresh tokens go by ON DELETE CASCADE
    return database.write(connection -> {
      try (var statement = connection.prepareStatement("DELETE FROM users WHERE account_name = ? AND id = ?")) {
        statement.setString(1, accountName);
        statement.setString(2, userId);
        return statement.executeUpdate() > 0;
      }
    });
  }

  @Override
  public List<User> listUsers(String accountName) {
    return database.read(connection -> {
      try (var statement = connection.prepareStatement(SELECT + " WHERE account_name = ?")) {
        statement.setString(1, accountName);
        try (var rows = statement.executeQuery()) {
          var users = new ArrayList<Keyed>();
          while (rows.next()) {
            users.add(new Keyed(rows.getString("username_key"), user(rows)));
          }
          // ordered here rather than in SQL: the databases' collations order text differently
          users.sort(Comparator.comparing(Keyed::key));
          return users.stream().map(Keyed::user).toList();
        }
      }
    });
  }

  private Optional<User> findOne(String sql, String accountName, String value) {
    return database.read(connection -> {
      try (var statement = connection.prepareStatement(sql)) {
        statement.setString(1, accountName);
        statement.setString(2, value);
        try (var rows = statement.executeQuery()) {
          return rows.next() ? Optional.of(user(rows)) : Optional.empty();
        }
      }
    });
  }

  private static User user(ResultSet rows) throws SQLException {
    return new User(rows.getString("id"), rows.getString("account_name"), rows.getString("username"),
        Rows.optionalString(rows, "password_hash"), rows.getBoolean("active"), rows.getBoolean("verified"),
        rows.getBoolean("anonymous"), Rows.instant(rows, "created_at"));
  }

  private record Keyed(String key, User user) {
  }
}
