package io.meshyauth.server.store.jdbc;

import io.meshyauth.server.courier.RenderedMessage;
import io.meshyauth.server.store.DuplicateException;
import io.meshyauth.server.store.NotFoundException;
import io.meshyauth.server.store.Page;
import io.meshyauth.server.store.SecurityQuestion;
import io.meshyauth.server.store.User;
import io.meshyauth.server.store.UserProfile;
import io.meshyauth.server.store.UserQuery;
import io.meshyauth.server.store.UserStore;
import io.meshyauth.server.store.Usernames;
import io.meshyauth.server.values.Operations;
import io.meshyauth.server.values.Permission;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

final class JdbcUserStore implements UserStore {
  private static final String SELECT = """
      SELECT id, account_name, username_key, username, password_hash, active, verified, anonymous, created_at,
             first_name, last_name, email_address, phone_number
      FROM users
      """;
  /**
   * Roles, the permissions of those roles and the user's own permissions in one statement, so that a login sees its
   * roles and what they grant as of one moment, even while a role is deleted or changed (one snapshot of
   * PostgreSQL's read committed, SQLite's one writer). A permission has no added_at; a role's has its flags.
   */
  private static final String GRANTS = """
      SELECT user_id, 'role' AS kind, role AS name, added_at,
             FALSE AS can_create, FALSE AS can_read, FALSE AS can_update, FALSE AS can_delete
      FROM user_roles WHERE account_name = ? %1$s
      UNION ALL
      SELECT user_id, 'permission' AS kind, permission AS name, 0 AS added_at,
             FALSE AS can_create, FALSE AS can_read, FALSE AS can_update, FALSE AS can_delete
      FROM user_permissions WHERE account_name = ? %1$s
      UNION ALL
      SELECT user_roles.user_id, 'granted' AS kind, role_permissions.permissible AS name, 0 AS added_at,
             role_permissions.can_create, role_permissions.can_read, role_permissions.can_update,
             role_permissions.can_delete
      FROM user_roles
      JOIN roles ON roles.account_name = user_roles.account_name AND roles.name = user_roles.role
      JOIN role_permissions ON role_permissions.account_name = roles.account_name AND role_permissions.role_id = roles.id
      WHERE user_roles.account_name = ? %2$s
      """;
  private static final String INSERT = """
      INSERT INTO users (id, account_name, username_key, username, password_hash, active, verified, anonymous,
                         created_at, first_name, last_name, email_address, phone_number, first_name_key,
                         last_name_key)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT DO NOTHING
      """;
  /** Values in one IN list at most: far below SQLite's and PostgreSQL's limits on parameters. */
  private static final int MAX_IN_LIST = 500;

  private final Database database;
  private final JdbcOutbox outbox;

  JdbcUserStore(Database database, JdbcOutbox outbox) {
    this.database = database;
    this.outbox = outbox;
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
    createUser(user, List.of());
  }

  @Override
  public void createUser(User user, List<SecurityQuestion> questions) {
    createUser(user, questions, Optional.empty(), user.createdAt());
  }

  @Override
  public void createUser(User user, List<SecurityQuestion> questions, Optional<RenderedMessage> message,
      Instant now) {
    var key = Usernames.normalise(user.username());
    database.write(connection -> {
      requireAccount(connection, user.accountName());
      try (var statement = connection.prepareStatement(INSERT)) {
        bindInsert(statement, user, key);
        if (statement.executeUpdate() == 0) {
          throw new DuplicateException("username " + user.username() + " is taken in account " + user.accountName());
        }
      }
      insertGrants(connection, user.accountName(), Map.of(user.id(), user.profile()));
      insertQuestions(connection, user.accountName(), user.id(), questions);
      if (message.isPresent()) {
        outbox.queue(connection, message.get(), now);
      }
      return null;
    });
  }

  @Override
  public List<User> createUsers(String accountName, List<User> users) {
    for (var user : users) {
      if (!user.accountName().equals(accountName)) {
        throw new IllegalArgumentException("user " + user.id() + " is not of account " + accountName);
      }
    }
    var keys = users.stream().map(user -> Usernames.normalise(user.username())).toList();
    return database.write(connection -> {
      requireAccount(connection, accountName);
      try (var statement = connection.prepareStatement(INSERT)) {
        for (int i = 0; i < users.size(); i++) {
          bindInsert(statement, users.get(i), keys.get(i));
          statement.addBatch();
        }
        statement.executeBatch();
      }
      // which were added, whatever update counts the driver reports for a batch: their new ids are in the table
      var added = new HashSet<String>();
      for (var ids : chunks(users.stream().map(User::id).toList())) {
        try (var statement = connection.prepareStatement(
            "SELECT id FROM users WHERE account_name = ? AND id IN (" + placeholders(ids.size()) + ")")) {
          statement.setString(1, accountName);
          bind(statement, 2, ids);
          try (var rows = statement.executeQuery()) {
            while (rows.next()) {
              added.add(rows.getString(1));
            }
          }
        }
      }
      var grants = new LinkedHashMap<String, UserProfile>();
      var taken = new ArrayList<User>();
      for (var user : users) {
        if (added.contains(user.id())) {
          grants.put(user.id(), user.profile());
        } else {
          taken.add(user);
        }
      }
      insertGrants(connection, accountName, grants);
      return taken;
    });
  }

  @Override
  public Map<String, User> findUsers(String accountName, Collection<String> usernames) {
    var keys = new ArrayList<String>();
    for (var username : usernames) {
      try {
        keys.add(Usernames.normalise(username));
      } catch (IllegalArgumentException e) {
        // no user has an empty name
      }
    }
    return database.read(connection -> {
      var found = new HashMap<String, User>();
      for (var chunk : chunks(keys)) {
        try (var statement = connection.prepareStatement(
            SELECT + " WHERE account_name = ? AND username_key IN (" + placeholders(chunk.size()) + ")")) {
          statement.setString(1, accountName);
          bind(statement, 2, chunk);
          var byId = new HashMap<String, Keyed>();
          try (var rows = statement.executeQuery()) {
            while (rows.next()) {
              var user = user(rows);
              byId.put(user.id(), new Keyed(rows.getString("username_key"), user));
            }
          }
          if (byId.isEmpty()) {
            continue;
          }
          var grants = grants(connection, accountName, Optional.of(byId.keySet()));
          byId.values().forEach(keyed -> found.put(keyed.key(),
              withGrants(keyed.user(), grants.getOrDefault(keyed.user().id(), Grants.NONE))));
        }
      }
      return found;
    });
  }

  static void requireAccount(Connection connection, String accountName) throws SQLException {
    try (var statement = connection.prepareStatement("SELECT 1 FROM accounts WHERE name = ?")) {
      statement.setString(1, accountName);
      try (var rows = statement.executeQuery()) {
        if (!rows.next()) {
          throw new NotFoundException("no account " + accountName);
        }
      }
    }
  }

  private static void bindInsert(PreparedStatement statement, User user, String key) throws SQLException {
    statement.setString(1, user.id());
    statement.setString(2, user.accountName());
    statement.setString(3, key);
    statement.setString(4, user.username());
    Rows.setOptionalString(statement, 5, user.passwordHash());
    statement.setBoolean(6, user.active());
    statement.setBoolean(7, user.verified());
    statement.setBoolean(8, user.anonymous());
    statement.setLong(9, Rows.millis(user.createdAt()));
    Rows.setOptionalString(statement, 10, user.profile().firstName());
    Rows.setOptionalString(statement, 11, user.profile().lastName());
    Rows.setOptionalString(statement, 12, user.profile().emailAddress());
    Rows.setOptionalString(statement, 13, user.profile().phoneNumber());
    Rows.setOptionalString(statement, 14, user.profile().firstName().map(UserSearch::key));
    Rows.setOptionalString(statement, 15, user.profile().lastName().map(UserSearch::key));
  }

  private static List<List<String>> chunks(List<String> values) {
    var chunks = new ArrayList<List<String>>();
    for (int from = 0; from < values.size(); from += MAX_IN_LIST) {
      chunks.add(values.subList(from, Math.min(values.size(), from + MAX_IN_LIST)));
    }
    return chunks;
  }

  private static String placeholders(int count) {
    return String.join(", ", Collections.nCopies(count, "?"));
  }

  private static void bind(PreparedStatement statement, int first, Collection<String> values) throws SQLException {
    int index = first;
    for (var value : values) {
      statement.setString(index++, value);
    }
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
  public void updateProfile(String accountName, String userId, UserProfile profile) {
    database.write(connection -> {
      updateDetails(connection, accountName, userId, profile);
      for (var table : List.of("user_roles", "user_permissions")) {
        try (var statement = connection.prepareStatement(
            "DELETE FROM " + table + " WHERE account_name = ? AND user_id = ?")) {
          statement.setString(1, accountName);
          statement.setString(2, userId);
          statement.executeUpdate();
        }
      }
      insertGrants(connection, accountName, Map.of(userId, profile));
      return null;
    });
  }

  @Override
  public void updateDetails(String accountName, String userId, UserProfile profile) {
    database.write(connection -> {
      updateDetails(connection, accountName, userId, profile);
      return null;
    });
  }

  @Override
  public boolean updateByAdministrator(String accountName, String userId, UserProfile profile, boolean active,
      boolean verified, Instant now) {
    return database.write(connection -> {
      try (var statement = connection.prepareStatement(
          "UPDATE users SET active = ?, verified = ? WHERE account_name = ? AND id = ?")) {
        statement.setBoolean(1, active);
        statement.setBoolean(2, verified);
        statement.setString(3, accountName);
        statement.setString(4, userId);
        if (statement.executeUpdate() == 0) {
          return false;
        }
      }
      updateDetails(connection, accountName, userId, profile);
      if (!active) {
        // a deactivated user's sessions end with it, in the same transaction: a refresh either rotated before
        // (and its new token's family is revoked here) or finds its family revoked
        try (var statement = connection.prepareStatement("""
            UPDATE token_families SET revoked_at = ?
            WHERE revoked_at IS NULL AND family_id IN (
              SELECT family_id FROM refresh_tokens WHERE account_name = ? AND user_id = ?)
            """)) {
          statement.setLong(1, Rows.millis(now));
          statement.setString(2, accountName);
          statement.setString(3, userId);
          statement.executeUpdate();
        }
      }
      return true;
    });
  }

  @Override
  public Page<User> searchUsers(String accountName, UserQuery query) {
    return database.read(connection -> {
      var search = new UserSearch(database.dialect(), accountName, query);
      long total;
      try (var statement = connection.prepareStatement(search.countSql())) {
        search.bind(statement);
        try (var rows = statement.executeQuery()) {
          rows.next();
          total = rows.getLong(1);
        }
      }
      var found = new ArrayList<User>();
      if (Page.offset(query.page(), query.pageSize()) < total) {
        try (var statement = connection.prepareStatement(search.pageSql())) {
          search.bindPage(statement);
          try (var rows = statement.executeQuery()) {
            while (rows.next()) {
              found.add(user(rows));
            }
          }
        }
      }
      if (!found.isEmpty()) {
        var grants = grants(connection, accountName, Optional.of(found.stream().map(User::id).toList()));
        found.replaceAll(user -> withGrants(user, grants.getOrDefault(user.id(), Grants.NONE)));
      }
      return new Page<>(found, query.page(), query.pageSize(), total);
    });
  }

  private static void updateDetails(Connection connection, String accountName, String userId, UserProfile profile)
      throws SQLException {
    try (var statement = connection.prepareStatement("""
        UPDATE users SET first_name = ?, last_name = ?, email_address = ?, phone_number = ?, first_name_key = ?,
                         last_name_key = ?
        WHERE account_name = ? AND id = ?
        """)) {
      Rows.setOptionalString(statement, 1, profile.firstName());
      Rows.setOptionalString(statement, 2, profile.lastName());
      Rows.setOptionalString(statement, 3, profile.emailAddress());
      Rows.setOptionalString(statement, 4, profile.phoneNumber());
      Rows.setOptionalString(statement, 5, profile.firstName().map(UserSearch::key));
      Rows.setOptionalString(statement, 6, profile.lastName().map(UserSearch::key));
      statement.setString(7, accountName);
      statement.setString(8, userId);
      if (statement.executeUpdate() == 0) {
        throw new NotFoundException("no user " + userId + " in account " + accountName);
      }
    }
  }

  @Override
  public boolean markVerified(String accountName, String userId) {
    return database.write(connection -> {
      try (var statement = connection.prepareStatement(
          "UPDATE users SET verified = TRUE WHERE account_name = ? AND id = ? AND verified = FALSE")) {
        statement.setString(1, accountName);
        statement.setString(2, userId);
        return statement.executeUpdate() > 0;
      }
    });
  }

  @Override
  public List<SecurityQuestion> securityQuestions(String accountName, String userId) {
    return database.read(connection -> {
      try (var statement = connection.prepareStatement("""
          SELECT question, answer_hash FROM user_security_questions
          WHERE account_name = ? AND user_id = ?
          ORDER BY position
          """)) {
        statement.setString(1, accountName);
        statement.setString(2, userId);
        var questions = new ArrayList<SecurityQuestion>();
        try (var rows = statement.executeQuery()) {
          while (rows.next()) {
            questions.add(new SecurityQuestion(rows.getString("question"), rows.getString("answer_hash")));
          }
        }
        return List.copyOf(questions);
      }
    });
  }

  @Override
  public void replaceSecurityQuestions(String accountName, String userId, List<SecurityQuestion> questions) {
    database.write(connection -> {
      // an update that changes nothing but takes the user's row lock on PostgreSQL: concurrent replacements run
      // one after the other instead of colliding on the positions each inserts
      try (var statement = connection.prepareStatement(
          "UPDATE users SET verified = verified WHERE account_name = ? AND id = ?")) {
        statement.setString(1, accountName);
        statement.setString(2, userId);
        if (statement.executeUpdate() == 0) {
          throw new NotFoundException("no user " + userId + " in account " + accountName);
        }
      }
      try (var statement = connection.prepareStatement(
          "DELETE FROM user_security_questions WHERE account_name = ? AND user_id = ?")) {
        statement.setString(1, accountName);
        statement.setString(2, userId);
        statement.executeUpdate();
      }
      insertQuestions(connection, accountName, userId, questions);
      return null;
    });
  }

  @Override
  public PasswordChange changePassword(String accountName, String userId, String expectedHash, String newHash,
      Optional<String> keptFamily, Instant now) {
    return database.write(connection -> {
      try (var statement = connection.prepareStatement(
          "UPDATE users SET password_hash = ? WHERE account_name = ? AND id = ? AND password_hash = ?")) {
        statement.setString(1, newHash);
        statement.setString(2, accountName);
        statement.setString(3, userId);
        statement.setString(4, expectedHash);
        if (statement.executeUpdate() == 0) {
          return PasswordChange.STALE;
        }
      }
      // RFC 9700 section 4.14.2: sessions that knew only the old password end with it
      try (var statement = connection.prepareStatement("""
          UPDATE token_families SET revoked_at = ?
          WHERE revoked_at IS NULL AND family_id <> ? AND family_id IN (
            SELECT family_id FROM refresh_tokens WHERE account_name = ? AND user_id = ?)
          """)) {
        statement.setLong(1, Rows.millis(now));
        statement.setString(2, keptFamily.orElse(""));
        statement.setString(3, accountName);
        statement.setString(4, userId);
        statement.executeUpdate();
      }
      return PasswordChange.CHANGED;
    });
  }

  @Override
  public boolean deleteUser(String accountName, String userId) {
    // its refresh tokens, roles, permissions and security questions go by ON DELETE CASCADE
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
          var grants = grants(connection, accountName, Optional.empty());
          users.replaceAll(keyed -> new Keyed(keyed.key(),
              withGrants(keyed.user(), grants.getOrDefault(keyed.user().id(), Grants.NONE))));
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
          if (!rows.next()) {
            return Optional.empty();
          }
          var user = user(rows);
          var grants = grants(connection, accountName, Optional.of(List.of(user.id())));
          return Optional.of(withGrants(user, grants.getOrDefault(user.id(), Grants.NONE)));
        }
      }
    });
  }

  /**
   * The profiles' roles and permissions, by user id, in one batch each. A role named here that the account lacks is
   * created (with no permissions), as an operator's {@code users create --role} and an import always could.
   */
  private static void insertGrants(Connection connection, String accountName, Map<String, UserProfile> profiles)
      throws SQLException {
    var names = new java.util.TreeSet<String>();
    profiles.values().forEach(profile -> names.addAll(profile.roleNames()));
    JdbcRoleStore.ensureRoles(connection, accountName, names);
    try (var statement = connection.prepareStatement(
        "INSERT INTO user_roles (account_name, user_id, role, added_at) VALUES (?, ?, ?, ?)")) {
      for (var profile : profiles.entrySet()) {
        for (var role : profile.getValue().roles()) {
          statement.setString(1, accountName);
          statement.setString(2, profile.getKey());
          statement.setString(3, role.name());
          statement.setLong(4, Rows.millis(role.addedAt()));
          statement.addBatch();
        }
      }
      statement.executeBatch();
    }
    try (var statement = connection.prepareStatement(
        "INSERT INTO user_permissions (account_name, user_id, permission) VALUES (?, ?, ?)")) {
      for (var profile : profiles.entrySet()) {
        for (var permission : profile.getValue().permissions()) {
          statement.setString(1, accountName);
          statement.setString(2, profile.getKey());
          statement.setString(3, permission);
          statement.addBatch();
        }
      }
      statement.executeBatch();
    }
  }

  /** Numbered from 1 in list order: MeshyDB's attempt N asks question N. */
  private static void insertQuestions(Connection connection, String accountName, String userId,
      List<SecurityQuestion> questions) throws SQLException {
    if (questions.isEmpty()) {
      return;
    }
    try (var statement = connection.prepareStatement("""
        INSERT INTO user_security_questions (account_name, user_id, position, question, answer_hash)
        VALUES (?, ?, ?, ?, ?)
        """)) {
      for (int i = 0; i < questions.size(); i++) {
        statement.setString(1, accountName);
        statement.setString(2, userId);
        statement.setInt(3, i + 1);
        statement.setString(4, questions.get(i).question());
        statement.setString(5, questions.get(i).answerHash());
        statement.addBatch();
      }
      statement.executeBatch();
    }
  }

  /** The roles and permissions of these users (at most {@link #MAX_IN_LIST}), or of every user of the account. */
  private static Map<String, Grants> grants(Connection connection, String accountName,
      Optional<Collection<String>> userIds) throws SQLException {
    var filter = userIds.map(ids -> "AND user_id IN (" + placeholders(ids.size()) + ")").orElse("");
    var joinedFilter = userIds.map(ids -> "AND user_roles.user_id IN (" + placeholders(ids.size()) + ")")
        .orElse("");
    try (var statement = connection.prepareStatement(GRANTS.formatted(filter, joinedFilter))) {
      int index = 1;
      for (int part = 0; part < 3; part++) {
        statement.setString(index++, accountName);
        if (userIds.isPresent()) {
          bind(statement, index, userIds.get());
          index += userIds.get().size();
        }
      }
      var grants = new HashMap<String, Grants>();
      try (var rows = statement.executeQuery()) {
        while (rows.next()) {
          var of = grants.computeIfAbsent(rows.getString("user_id"), id -> new Grants(new ArrayList<>(),
              new ArrayList<>(), new ArrayList<>()));
          switch (rows.getString("kind")) {
            case "role" -> of.roles().add(new UserProfile.Role(rows.getString("name"),
                Rows.instant(rows, "added_at")));
            case "permission" -> of.permissions().add(rows.getString("name"));
            default -> {
              var permissible = rows.getString("name");
              for (var operation : new Operations(rows.getBoolean("can_create"), rows.getBoolean("can_read"),
                  rows.getBoolean("can_update"), rows.getBoolean("can_delete")).asSet()) {
                of.rolePermissions().add(new Permission(permissible, operation).claim());
              }
            }
          }
        }
      }
      return grants;
    }
  }

  private static User withGrants(User user, Grants grants) {
    return user.withProfile(user.profile().withGrants(grants.roles(), grants.permissions(),
        grants.rolePermissions()));
  }

  private record Grants(List<UserProfile.Role> roles, List<String> permissions, List<String> rolePermissions) {
    static final Grants NONE = new Grants(List.of(), List.of(), List.of());
  }

  private static User user(ResultSet rows) throws SQLException {
    return new User(rows.getString("id"), rows.getString("account_name"), rows.getString("username"),
        Rows.optionalString(rows, "password_hash"), rows.getBoolean("active"), rows.getBoolean("verified"),
        rows.getBoolean("anonymous"), Rows.instant(rows, "created_at"),
        new UserProfile(Rows.optionalString(rows, "first_name"), Rows.optionalString(rows, "last_name"),
            Rows.optionalString(rows, "email_address"), Rows.optionalString(rows, "phone_number"), List.of(),
            List.of()));
  }

  private record Keyed(String key, User user) {
  }
}
