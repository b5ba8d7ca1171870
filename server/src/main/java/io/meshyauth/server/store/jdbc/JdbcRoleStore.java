package io.meshyauth.server.store.jdbc;

import io.meshyauth.server.store.DuplicateException;
import io.meshyauth.server.store.NotFoundException;
import io.meshyauth.server.store.Page;
import io.meshyauth.server.store.Permissible;
import io.meshyauth.server.store.Role;
import io.meshyauth.server.store.RolePermission;
import io.meshyauth.server.store.RoleStore;
import io.meshyauth.server.store.RoleStore.PermissionWrite.Status;
import io.meshyauth.server.values.Operations;
import io.meshyauth.server.values.Permission;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

final class JdbcRoleStore implements RoleStore {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Above every code point: a prefix's range ends here (see {@link UserSearch}). */
  private static final String MAX = new String(Character.toChars(Character.MAX_CODE_POINT));
  private static final String SELECT_ROLE = """
      SELECT id, account_name, name, description,
             (SELECT COUNT(*) FROM user_roles
              WHERE user_roles.account_name = roles.account_name AND user_roles.role = roles.name) AS members
      FROM roles
      """;
  private static final String SELECT_PERMISSION = """
      SELECT id, role_id, permissible, can_create, can_read, can_update, can_delete FROM role_permissions
      """;

  private final Database database;

  JdbcRoleStore(Database database) {
    this.database = database;
  }

  /** A new id in MeshyDB's form: 24 hex digits, as a Mongo ObjectId is written. */
  static String newId() {
    var bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** Creates the roles of these names that the account lacks, with no permissions (see the user store). */
  static void ensureRoles(Connection connection, String accountName, Collection<String> names) throws SQLException {
    if (names.isEmpty()) {
      return;
    }
    try (var statement = connection.prepareStatement("""
        INSERT INTO roles (account_name, id, name, name_key, description, created_at) VALUES (?, ?, ?, ?, NULL, ?)
        ON CONFLICT DO NOTHING
        """)) {
      for (var name : names) {
        statement.setString(1, accountName);
        statement.setString(2, newId());
        statement.setString(3, name);
        statement.setString(4, Role.key(name));
        statement.setLong(5, System.currentTimeMillis());
        statement.addBatch();
      }
      statement.executeBatch();
    }
  }

  @Override
  public Role createRole(String accountName, String name, Optional<String> description, Instant now) {
    var id = newId();
    return database.write(connection -> {
      JdbcUserStore.requireAccount(connection, accountName);
      try (var statement = connection.prepareStatement("""
          INSERT INTO roles (account_name, id, name, name_key, description, created_at) VALUES (?, ?, ?, ?, ?, ?)
          ON CONFLICT DO NOTHING
          """)) {
        statement.setString(1, accountName);
        statement.setString(2, id);
        statement.setString(3, name);
        statement.setString(4, Role.key(name));
        Rows.setOptionalString(statement, 5, description);
        statement.setLong(6, Rows.millis(now));
        if (statement.executeUpdate() == 0) {
          throw new DuplicateException("account " + accountName + " has role " + name + " already");
        }
      }
      return new Role(id, accountName, name, description, 0);
    });
  }

  @Override
  public Optional<Role> findRole(String accountName, String roleId) {
    return database.read(connection -> role(connection, SELECT_ROLE + " WHERE account_name = ? AND id = ?",
        accountName, roleId));
  }

  @Override
  public Optional<Role> findRoleByName(String accountName, String name) {
    return database.read(connection -> role(connection, SELECT_ROLE + " WHERE account_name = ? AND name_key = ?",
        accountName, Role.key(name)));
  }

  @Override
  public Page<Role> searchRoles(String accountName, Optional<String> name, int page, int pageSize) {
    var prefix = name.map(Role::key).filter(key -> !key.isEmpty());
    var where = " WHERE account_name = ?" + (prefix.isPresent() ? " AND name_key >= ? AND name_key < ?" : "");
    return database.read(connection -> {
      var values = new ArrayList<String>(List.of(accountName));
      prefix.ifPresent(key -> values.addAll(List.of(key, key + MAX)));
      long total = count(connection, "SELECT COUNT(*) FROM roles" + where, values);
      var roles = new ArrayList<Role>();
      try (var statement = connection.prepareStatement(SELECT_ROLE + where
          + " ORDER BY name_key, id LIMIT ? OFFSET ?")) {
        bindPage(statement, values, page, pageSize);
        try (var rows = statement.executeQuery()) {
          while (rows.next()) {
            roles.add(role(rows));
          }
        }
      }
      return new Page<>(roles, page, pageSize, total);
    });
  }

  @Override
  public Role updateRole(String accountName, String roleId, String name, Optional<String> description) {
    return database.write(connection -> {
      var current = role(connection, SELECT_ROLE + " WHERE account_name = ? AND id = ?", accountName, roleId)
          .orElseThrow(() -> new NotFoundException("no role " + roleId + " in account " + accountName));
      if (!current.name().equals(name)
          && role(connection, SELECT_ROLE + " WHERE account_name = ? AND name_key = ?", accountName,
              Role.key(name)).filter(other -> !other.id().equals(roleId)).isPresent()) {
        throw new DuplicateException("account " + accountName + " has role " + name + " already");
      }
      // the members' user_roles rows follow the name: ON UPDATE CASCADE
      try (var statement = connection.prepareStatement(
          "UPDATE roles SET name = ?, name_key = ?, description = ? WHERE account_name = ? AND id = ?")) {
        statement.setString(1, name);
        statement.setString(2, Role.key(name));
        Rows.setOptionalString(statement, 3, description);
        statement.setString(4, accountName);
        statement.setString(5, roleId);
        statement.executeUpdate();
      }
      return new Role(roleId, accountName, name, description, current.numberOfUsers());
    });
  }

  @Override
  public boolean deleteRole(String accountName, String roleId) {
    // its permissions and memberships go by ON DELETE CASCADE
    return database.write(connection -> {
      try (var statement = connection.prepareStatement("DELETE FROM roles WHERE account_name = ? AND id = ?")) {
        statement.setString(1, accountName);
        statement.setString(2, roleId);
        return statement.executeUpdate() > 0;
      }
    });
  }

  @Override
  public Page<RolePermission> searchPermissions(String accountName, String roleId, Optional<String> permissible,
      int page, int pageSize) {
    var prefix = permissible.map(name -> name.toLowerCase(Locale.ROOT)).filter(key -> !key.isEmpty());
    var where = " WHERE account_name = ? AND role_id = ?"
        + (prefix.isPresent() ? " AND lower(permissible) >= ? AND lower(permissible) < ?" : "");
    return database.read(connection -> {
      var values = new ArrayList<String>(List.of(accountName, roleId));
      prefix.ifPresent(key -> values.addAll(List.of(key, key + MAX)));
      long total = count(connection, "SELECT COUNT(*) FROM role_permissions" + where, values);
      var found = new ArrayList<RolePermission>();
      try (var statement = connection.prepareStatement(SELECT_PERMISSION + where
          + " ORDER BY permissible, id LIMIT ? OFFSET ?")) {
        bindPage(statement, values, page, pageSize);
        try (var rows = statement.executeQuery()) {
          while (rows.next()) {
            found.add(permission(rows));
          }
        }
      }
      return new Page<>(found, page, pageSize, total);
    });
  }

  @Override
  public Optional<RolePermission> findPermission(String accountName, String roleId, String permissionId) {
    return database.read(connection -> permission(connection, accountName, roleId, permissionId));
  }

  @Override
  public PermissionWrite addPermission(String accountName, String roleId, String permissible,
      Operations operations) {
    return database.write(connection -> {
      var refusal = refusal(connection, accountName, roleId, permissible, Optional.empty());
      if (refusal.isPresent()) {
        return PermissionWrite.refused(refusal.get());
      }
      var permission = new RolePermission(newId(), roleId, permissible, operations);
      try (var statement = connection.prepareStatement("""
          INSERT INTO role_permissions (account_name, id, role_id, permissible, can_create, can_read, can_update,
                                        can_delete)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT DO NOTHING
          """)) {
        statement.setString(1, accountName);
        statement.setString(2, permission.id());
        statement.setString(3, roleId);
        statement.setString(4, permissible);
        bindOperations(statement, 5, operations);
        if (statement.executeUpdate() == 0) {
          // added by another transaction since the check (PostgreSQL's read committed)
          return PermissionWrite.refused(Status.ALREADY_CONFIGURED);
        }
      }
      return new PermissionWrite(Status.DONE, Optional.of(permission));
    });
  }

  @Override
  public PermissionWrite updatePermission(String accountName, String roleId, String permissionId,
      String permissible, Operations operations) {
    return database.write(connection -> {
      if (permission(connection, accountName, roleId, permissionId).isEmpty()) {
        return PermissionWrite.refused(Status.NO_PERMISSION);
      }
      var refusal = refusal(connection, accountName, roleId, permissible, Optional.of(permissionId));
      if (refusal.isPresent()) {
        return PermissionWrite.refused(refusal.get());
      }
      try (var statement = connection.prepareStatement("""
          UPDATE role_permissions SET permissible = ?, can_create = ?, can_read = ?, can_update = ?, can_delete = ?
          WHERE account_name = ? AND role_id = ? AND id = ?
          """)) {
        statement.setString(1, permissible);
        bindOperations(statement, 2, operations);
        statement.setString(6, accountName);
        statement.setString(7, roleId);
        statement.setString(8, permissionId);
        statement.executeUpdate();
      }
      return new PermissionWrite(Status.DONE,
          Optional.of(new RolePermission(permissionId, roleId, permissible, operations)));
    });
  }

  @Override
  public boolean deletePermission(String accountName, String roleId, String permissionId) {
    return database.write(connection -> {
      try (var statement = connection.prepareStatement(
          "DELETE FROM role_permissions WHERE account_name = ? AND role_id = ? AND id = ?")) {
        statement.setString(1, accountName);
        statement.setString(2, roleId);
        statement.setString(3, permissionId);
        return statement.executeUpdate() > 0;
      }
    });
  }

  @Override
  public List<Permissible> permissibles(String accountName) {
    return database.read(connection -> {
      try (var statement = connection.prepareStatement("""
          SELECT name, can_create, can_read, can_update, can_delete FROM permissibles
          WHERE account_name = ? ORDER BY name
          """)) {
        statement.setString(1, accountName);
        var found = new ArrayList<Permissible>();
        try (var rows = statement.executeQuery()) {
          while (rows.next()) {
            found.add(new Permissible(rows.getString("name"), operations(rows)));
          }
        }
        return List.copyOf(found);
      }
    });
  }

  @Override
  public void addPermissible(String accountName, Permissible permissible) {
    database.write(connection -> {
      JdbcUserStore.requireAccount(connection, accountName);
      try (var statement = connection.prepareStatement("""
          INSERT INTO permissibles (account_name, name, can_create, can_read, can_update, can_delete)
          VALUES (?, ?, ?, ?, ?, ?)
          ON CONFLICT DO NOTHING
          """)) {
        statement.setString(1, accountName);
        statement.setString(2, permissible.name());
        bindOperations(statement, 3, permissible.supported());
        if (statement.executeUpdate() == 0) {
          throw new DuplicateException("account " + accountName + " has permissible " + permissible.name());
        }
      }
      return null;
    });
  }

  @Override
  public int addMembers(String accountName, String roleId, Collection<String> userIds, Instant now) {
    return database.write(connection -> {
      var role = role(connection, SELECT_ROLE + " WHERE account_name = ? AND id = ?", accountName, roleId)
          .orElseThrow(() -> new NotFoundException("no role " + roleId + " in account " + accountName));
      int added = 0;
      // a user that exists, is not anonymous and lacks the role gains it; of two transactions adding it at once,
      // one inserts
      try (var statement = connection.prepareStatement("""
          INSERT INTO user_roles (account_name, user_id, role, added_at)
          SELECT account_name, id, ?, ? FROM users WHERE account_name = ? AND id = ? AND anonymous = FALSE
          ON CONFLICT DO NOTHING
          """)) {
        for (var userId : userIds) {
          statement.setString(1, role.name());
          statement.setLong(2, Rows.millis(now));
          statement.setString(3, accountName);
          statement.setString(4, userId);
          added += statement.executeUpdate();
        }
      }
      return added;
    });
  }

  @Override
  public int removeMembers(String accountName, String roleId, Collection<String> userIds) {
    return database.write(connection -> {
      var role = role(connection, SELECT_ROLE + " WHERE account_name = ? AND id = ?", accountName, roleId)
          .orElseThrow(() -> new NotFoundException("no role " + roleId + " in account " + accountName));
      int removed = 0;
      try (var statement = connection.prepareStatement(
          "DELETE FROM user_roles WHERE account_name = ? AND role = ? AND user_id = ?")) {
        for (var userId : userIds) {
          statement.setString(1, accountName);
          statement.setString(2, role.name());
          statement.setString(3, userId);
          removed += statement.executeUpdate();
        }
      }
      return removed;
    });
  }

  /** Why the role may not hold {@code permissible} (besides the permission {@code except}), if it may not. */
  private static Optional<Status> refusal(Connection connection, String accountName, String roleId,
      String permissible, Optional<String> except) throws SQLException {
    // the role's row first: on PostgreSQL this locks it, so that two changes of its permissions run in turn
    try (var statement = connection.prepareStatement(
        "UPDATE roles SET name = name WHERE account_name = ? AND id = ?")) {
      statement.setString(1, accountName);
      statement.setString(2, roleId);
      if (statement.executeUpdate() == 0) {
        return Optional.of(Status.NO_ROLE);
      }
    }
    try (var statement = connection.prepareStatement(
        "SELECT id, permissible FROM role_permissions WHERE account_name = ? AND role_id = ?")) {
      statement.setString(1, accountName);
      statement.setString(2, roleId);
      try (var rows = statement.executeQuery()) {
        while (rows.next()) {
          if (except.isPresent() && except.get().equals(rows.getString("id"))) {
            continue;
          }
          var held = rows.getString("permissible");
          if (held.equals(permissible)) {
            return Optional.of(Status.ALREADY_CONFIGURED);
          }
          if (Permission.related(held, permissible)) {
            return Optional.of(Status.RELATED_CONFIGURED);
          }
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<RolePermission> permission(Connection connection, String accountName, String roleId,
      String permissionId) throws SQLException {
    try (var statement = connection.prepareStatement(
        SELECT_PERMISSION + " WHERE account_name = ? AND role_id = ? AND id = ?")) {
      statement.setString(1, accountName);
      statement.setString(2, roleId);
      statement.setString(3, permissionId);
      try (var rows = statement.executeQuery()) {
        return rows.next() ? Optional.of(permission(rows)) : Optional.empty();
      }
    }
  }

  private static Optional<Role> role(Connection connection, String sql, String accountName, String value)
      throws SQLException {
    try (var statement = connection.prepareStatement(sql)) {
      statement.setString(1, accountName);
      statement.setString(2, value);
      try (var rows = statement.executeQuery()) {
        return rows.next() ? Optional.of(role(rows)) : Optional.empty();
      }
    }
  }

  private static Role role(ResultSet rows) throws SQLException {
    return new Role(rows.getString("id"), rows.getString("account_name"), rows.getString("name"),
        Rows.optionalString(rows, "description"), rows.getLong("members"));
  }

  private static RolePermission permission(ResultSet rows) throws SQLException {
    return new RolePermission(rows.getString("id"), rows.getString("role_id"), rows.getString("permissible"),
        operations(rows));
  }

  private static Operations operations(ResultSet rows) throws SQLException {
    return new Operations(rows.getBoolean("can_create"), rows.getBoolean("can_read"), rows.getBoolean("can_update"),
        rows.getBoolean("can_delete"));
  }

  private static void bindOperations(PreparedStatement statement, int first, Operations operations)
      throws SQLException {
    statement.setBoolean(first, operations.create());
    statement.setBoolean(first + 1, operations.read());
    statement.setBoolean(first + 2, operations.update());
    statement.setBoolean(first + 3, operations.delete());
  }

  private static long count(Connection connection, String sql, List<String> values) throws SQLException {
    try (var statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < values.size(); i++) {
        statement.setString(i + 1, values.get(i));
      }
      try (var rows = statement.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  private static void bindPage(PreparedStatement statement, List<String> values, int page, int pageSize)
      throws SQLException {
    for (int i = 0; i < values.size(); i++) {
      statement.setString(i + 1, values.get(i));
    }
    statement.setInt(values.size() + 1, pageSize);
    statement.setLong(values.size() + 2, Page.offset(page, pageSize));
  }
}
