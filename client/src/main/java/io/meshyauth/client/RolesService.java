package io.meshyauth.client;

import io.meshyauth.client.generated.api.AdministrationApi;
import io.meshyauth.client.generated.model.PermissionInput;
import io.meshyauth.client.generated.model.RoleInput;
import io.meshyauth.client.generated.model.RoleUsers;
import io.meshyauth.client.generated.model.UserReference;
import java.util.List;
import java.util.Objects;

/**
 * The account's roles, their permissions, the permissibles those may name, and who holds which role (MeshyDB's
 * {@code rolesService}): from {@link MeshyConnection#roles()}, each call carrying the connection's access token,
 * refreshed when due. Each needs a permission on {@code roles} in that token ({@code roles:read} to search and get,
 * {@code roles:create}, {@code roles:update} to change a role or its holders, {@code roles:delete}), or fails with
 * {@link ForbiddenException}; an unknown id is a {@link NotFoundException}, a refused change an
 * {@link OAuthErrorException}, each with MeshyDB's {@link MeshyAuthException#meshyMessage() message}. A change
 * reaches its holders' access tokens at their next login or refresh.
 *
 * <p>A search takes a name prefix (matched case aside; null or empty keeps everything), the page from 1 and its
 * size from 1 to 200.
 */
public final class RolesService {
  private final MeshyClient client;
  private final AdministrationApi api;

  RolesService(MeshyClient client, AdministrationApi api) {
    this.client = client;
    this.api = api;
  }

  /** One page of the roles whose name begins with {@code name}, ordered by name (MeshyDB's {@code search}). */
  public Page<Role> search(String name, int page, int pageSize) {
    checkPage(page, pageSize);
    var found = client.send(() -> api.searchRoles(client.accountName(), name, page, pageSize));
    return Page.of(found.getResults(), found.getPage(), found.getPageSize(), found.getTotalRecords(), Role::from);
  }

  /** The role of this id (MeshyDB's {@code get}). */
  public Role get(String roleId) {
    Objects.requireNonNull(roleId, "roleId");
    return Role.from(client.send(() -> api.getRole(client.accountName(), roleId)));
  }

  /** Creates a role of this name and description, its id and number of users ignored (MeshyDB's {@code create}). */
  public Role create(Role role) {
    Objects.requireNonNull(role, "role");
    return create(role.name(), role.description().orElse(null));
  }

  /**
   * Creates a role (MeshyDB's {@code create}): a name of letters only, unique case aside and not beginning with
   * {@code meshy.}, and a description or null.
   */
  public Role create(String name, String description) {
    Objects.requireNonNull(name, "name");
    var body = new RoleInput().name(name).description(description);
    return Role.from(client.send(() -> api.createRole(client.accountName(), body)));
  }

  /**
   * Renames the role of this id and replaces its description with {@code role}'s, whose id and number of users are
   * ignored (MeshyDB's {@code update}); its holders keep it under the new name. System roles cannot be changed.
   */
  public Role update(String roleId, Role role) {
    Objects.requireNonNull(roleId, "roleId");
    Objects.requireNonNull(role, "role");
    var body = new RoleInput().name(role.name()).description(role.description().orElse(null));
    return Role.from(client.send(() -> api.updateRole(client.accountName(), roleId, body)));
  }

  /** Deletes the role, its permissions and memberships (MeshyDB's {@code delete}); not a system role. */
  public void delete(String roleId) {
    Objects.requireNonNull(roleId, "roleId");
    client.send(() -> {
      api.deleteRole(client.accountName(), roleId);
      return null;
    });
  }

  /**
   * One page of the role's permissions whose permissible begins with {@code permissibleName}, ordered by it
   * (MeshyDB's {@code searchPermission}).
   */
  public Page<Permission> searchPermissions(String roleId, String permissibleName, int page, int pageSize) {
    Objects.requireNonNull(roleId, "roleId");
    checkPage(page, pageSize);
    var found = client.send(() -> api.searchRolePermissions(client.accountName(), roleId, permissibleName, page,
        pageSize));
    return Page.of(found.getResults(), found.getPage(), found.getPageSize(), found.getTotalRecords(),
        Permission::from);
  }

  /** The role's permission of this id (MeshyDB's {@code getPermission}). */
  public Permission getPermission(String roleId, String permissionId) {
    Objects.requireNonNull(roleId, "roleId");
    Objects.requireNonNull(permissionId, "permissionId");
    return Permission.from(client.send(() -> api.getRolePermission(client.accountName(), roleId, permissionId)));
  }

  /**
   * Gives the role a permission, its id and claims ignored (MeshyDB's {@code createPermission}): the permissible
   * must exist and support each flag set, and the role may hold no other permission on it nor on a dotted
   * relative ({@code meshes} and {@code meshes.person}).
   */
  public Permission createPermission(String roleId, Permission permission) {
    Objects.requireNonNull(roleId, "roleId");
    var body = input(permission);
    return Permission.from(client.send(() -> api.createRolePermission(client.accountName(), roleId, body)));
  }

  /**
   * Replaces the permissible and flags of the role's permission of this id with {@code permission}'s, whose id and
   * claims are ignored (MeshyDB's {@code updatePermission}); with the rules of {@link #createPermission}.
   */
  public Permission updatePermission(String roleId, String permissionId, Permission permission) {
    Objects.requireNonNull(roleId, "roleId");
    Objects.requireNonNull(permissionId, "permissionId");
    var body = input(permission);
    return Permission.from(client.send(() -> api.updateRolePermission(client.accountName(), roleId, permissionId,
        body)));
  }

  /** Takes the permission of this id from the role (MeshyDB's {@code deletePermission}). */
  public void deletePermission(String roleId, String permissionId) {
    Objects.requireNonNull(roleId, "roleId");
    Objects.requireNonNull(permissionId, "permissionId");
    client.send(() -> {
      api.deleteRolePermission(client.accountName(), roleId, permissionId);
      return null;
    });
  }

  /**
   * One page of what permissions may name whose name begins with {@code name}, ordered by name (MeshyDB's
   * {@code searchPermissible}): the server's own ({@code roles}, {@code users}) and the app's.
   */
  public Page<Permissible> searchPermissibles(String name, int page, int pageSize) {
    checkPage(page, pageSize);
    var found = client.send(() -> api.searchPermissibles(client.accountName(), name, page, pageSize));
    return Page.of(found.getResults(), found.getPage(), found.getPageSize(), found.getTotalRecords(),
        Permissible::from);
  }

  /**
   * Gives the role to the users of these ids (MeshyDB's {@code addUsers}); those who hold it already, ids of no
   * user of the account, and anonymous users are left as they are.
   */
  public void addUsers(String roleId, List<String> userIds) {
    Objects.requireNonNull(roleId, "roleId");
    var body = users(userIds);
    client.send(() -> {
      api.addRoleUsers(client.accountName(), roleId, body);
      return null;
    });
  }

  /** Takes the role from the users of these ids (MeshyDB's {@code removeUsers}); others are left as they are. */
  public void removeUsers(String roleId, List<String> userIds) {
    Objects.requireNonNull(roleId, "roleId");
    var body = users(userIds);
    client.send(() -> {
      api.removeRoleUsers(client.accountName(), roleId, body);
      return null;
    });
  }

  private static RoleUsers users(List<String> userIds) {
    return new RoleUsers().users(List.copyOf(userIds).stream().map(id -> new UserReference().id(id)).toList());
  }

  private static PermissionInput input(Permission permission) {
    Objects.requireNonNull(permission, "permission");
    return new PermissionInput()
        .permissibleName(permission.permissibleName())
        .create(permission.create())
        .read(permission.read())
        .update(permission.update())
        .delete(permission.delete());
  }

  private static void checkPage(int page, int pageSize) {
    if (page < 1) {
      throw new IllegalArgumentException("page must be at least 1, was " + page);
    }
    if (pageSize < 1 || pageSize > UserSearch.MAX_PAGE_SIZE) {
      throw new IllegalArgumentException("pageSize must be from 1 to " + UserSearch.MAX_PAGE_SIZE + ", was "
          + pageSize);
    }
  }

  @Override
  public String toString() {
    return "RolesService[account=" + client.accountName() + "]";
  }
}
