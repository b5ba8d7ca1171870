package io.meshyauth.server.store;

import io.meshyauth.server.values.Operations;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Roles, their permissions, the app's permissibles and who holds which role, one account at a time. Each change is
 * one transaction; a role's change reaches a user's token at its next login or refresh, which read the user's roles
 * and their permissions in one statement.
 */
public interface RoleStore {
  /** {@link DuplicateException} when the account has a role of that name (case aside). */
  Role createRole(String accountName, String name, Optional<String> description, Instant now);

  Optional<Role> findRole(String accountName, String roleId);

  Optional<Role> findRoleByName(String accountName, String name);

  /** Roles whose name begins with {@code name} (case aside), ordered by name. */
  Page<Role> searchRoles(String accountName, Optional<String> name, int page, int pageSize);

  /**
   * Renames the role and replaces its description; its members keep it under the new name. {@link
   * NotFoundException} when there is no such role, {@link DuplicateException} when another role has the name.
   */
  Role updateRole(String accountName, String roleId, String name, Optional<String> description);

  /** Deletes the role, its permissions and its memberships; false when there was no such role. */
  boolean deleteRole(String accountName, String roleId);

  /** The role's permissions whose permissible begins with {@code permissible} (case aside), ordered by it. */
  Page<RolePermission> searchPermissions(String accountName, String roleId, Optional<String> permissible, int page,
      int pageSize);

  Optional<RolePermission> findPermission(String accountName, String roleId, String permissionId);

  /** Adds the permission, refusing a permissible the role holds already or one of its dotted relatives. */
  PermissionWrite addPermission(String accountName, String roleId, String permissible, Operations operations);

  /** Replaces the permission's permissible and flags, with the same refusals as {@link #addPermission}. */
  PermissionWrite updatePermission(String accountName, String roleId, String permissionId, String permissible,
      Operations operations);

  boolean deletePermission(String accountName, String roleId, String permissionId);

  /** The outcome of a permission's change, decided in its transaction. */
  record PermissionWrite(Status status, Optional<RolePermission> permission) {
    public enum Status {
      DONE,
      NO_ROLE,
      NO_PERMISSION,
      ALREADY_CONFIGURED,
      /** The role holds a dotted relative of the permissible ({@code meshes} and {@code meshes.person}). */
      RELATED_CONFIGURED
    }

    public static PermissionWrite refused(Status status) {
      return new PermissionWrite(status, Optional.empty());
    }
  }

  /** The app's own permissibles, ordered by name (the server's own are {@link Permissible#BUILT_IN}). */
  List<Permissible> permissibles(String accountName);

  /** {@link DuplicateException} when the account has it, {@link NotFoundException} when there is no account. */
  void addPermissible(String accountName, Permissible permissible);

  /**
   * Gives the role to each of these users that exists, is not anonymous (MeshyDB's anonymous users hold no roles)
   * and lacks it, in one transaction; two callers adding the
   * same user at once leave one membership. The number of memberships added.
   */
  int addMembers(String accountName, String roleId, Collection<String> userIds, Instant now);

  /** Takes the role from each of these users that holds it; the number of memberships removed. */
  int removeMembers(String accountName, String roleId, Collection<String> userIds);
}
