package io.meshyauth.server.users;

import io.meshyauth.server.errors.ApiError;
import io.meshyauth.server.store.DuplicateException;
import io.meshyauth.server.store.NotFoundException;
import io.meshyauth.server.store.Page;
import io.meshyauth.server.store.Permissible;
import io.meshyauth.server.store.Role;
import io.meshyauth.server.store.RolePermission;
import io.meshyauth.server.store.RoleStore;
import io.meshyauth.server.store.RoleStore.PermissionWrite;
import io.meshyauth.server.values.Operations;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * MeshyDB's roles, their permissions, the permissibles and who holds which role ({@code roles/*}, {@code
 * permissibles}), for a caller the {@link Authorizer} let through, with MeshyDB's messages.
 */
public final class RoleAdministration {
  static final String ROLE_NOT_FOUND = "Role was not found.";
  static final String PERMISSION_NOT_FOUND = "Permission was not found.";

  private final RoleStore roles;
  private final Clock clock;

  public RoleAdministration(RoleStore roles, Clock clock) {
    this.roles = roles;
    this.clock = clock;
  }

  /** A role's name and description as the API gives them. */
  public record RoleInput(String name, Optional<String> description) {
  }

  public Page<Role> search(Caller caller, Optional<String> name, int page, int pageSize) {
    return roles.searchRoles(caller.account().name(), name, page, pageSize);
  }

  public Role get(Caller caller, String roleId) {
    return role(caller, roleId);
  }

  public Role create(Caller caller, RoleInput input) {
    var name = checkedName(input.name());
    try {
      return roles.createRole(caller.account().name(), name, description(input), clock.instant());
    } catch (DuplicateException e) {
      throw ApiError.invalidRequest("Role already exists.");
    }
  }

  public Role update(Caller caller, String roleId, RoleInput input) {
    var current = role(caller, roleId);
    if (current.system()) {
      throw ApiError.invalidRequest("Unable to update role that starts with 'meshy.'.");
    }
    var name = checkedName(input.name());
    try {
      return roles.updateRole(caller.account().name(), roleId, name, description(input));
    } catch (DuplicateException e) {
      throw ApiError.invalidRequest("Role already exists.");
    } catch (NotFoundException e) {
      throw ApiError.notFound(ROLE_NOT_FOUND);
    }
  }

  /** Its permissions and memberships go with it; system roles stay. */
  public void delete(Caller caller, String roleId) {
    if (role(caller, roleId).system()) {
      throw ApiError.invalidRequest("Unable to delete role that starts with 'meshy.'.");
    }
    if (!roles.deleteRole(caller.account().name(), roleId)) {
      throw ApiError.notFound(ROLE_NOT_FOUND);
    }
  }

  public Page<RolePermission> searchPermissions(Caller caller, String roleId, Optional<String> permissible,
      int page, int pageSize) {
    role(caller, roleId);
    return roles.searchPermissions(caller.account().name(), roleId, permissible, page, pageSize);
  }

  public RolePermission getPermission(Caller caller, String roleId, String permissionId) {
    return roles.findPermission(caller.account().name(), roleId, permissionId)
        .orElseThrow(() -> ApiError.notFound(PERMISSION_NOT_FOUND));
  }

  public RolePermission createPermission(Caller caller, String roleId, String permissible, Operations operations) {
    var name = checkedPermission(caller, permissible, operations);
    return written(roles.addPermission(caller.account().name(), roleId, name, operations));
  }

  public RolePermission updatePermission(Caller caller, String roleId, String permissionId, String permissible,
      Operations operations) {
    var name = checkedPermission(caller, permissible, operations);
    return written(roles.updatePermission(caller.account().name(), roleId, permissionId, name, operations));
  }

  public void deletePermission(Caller caller, String roleId, String permissionId) {
    if (!roles.deletePermission(caller.account().name(), roleId, permissionId)) {
      throw ApiError.notFound(PERMISSION_NOT_FOUND);
    }
  }

  /** The server's own permissibles and the app's, ordered by name, those beginning with {@code name}. */
  public Page<Permissible> searchPermissibles(Caller caller, Optional<String> name, int page, int pageSize) {
    var all = new ArrayList<Permissible>(Permissible.BUILT_IN);
    all.addAll(roles.permissibles(caller.account().name()));
    var prefix = name.map(value -> value.toLowerCase(Locale.ROOT)).orElse("");
    var matching = all.stream()
        .filter(permissible -> permissible.name().toLowerCase(Locale.ROOT).startsWith(prefix))
        .sorted(java.util.Comparator.comparing(Permissible::name))
        .toList();
    long from = Page.offset(page, pageSize);
    var results = from >= matching.size() ? List.<Permissible>of()
        : matching.subList((int) from, (int) Math.min(matching.size(), from + pageSize));
    return new Page<>(results, page, pageSize, matching.size());
  }

  public void addUsers(Caller caller, String roleId, List<String> userIds) {
    try {
      roles.addMembers(caller.account().name(), roleId, userIds, clock.instant());
    } catch (NotFoundException e) {
      throw ApiError.notFound(ROLE_NOT_FOUND);
    }
  }

  public void removeUsers(Caller caller, String roleId, List<String> userIds) {
    try {
      roles.removeMembers(caller.account().name(), roleId, userIds);
    } catch (NotFoundException e) {
      throw ApiError.notFound(ROLE_NOT_FOUND);
    }
  }

  private Role role(Caller caller, String roleId) {
    return roles.findRole(caller.account().name(), roleId).orElseThrow(() -> ApiError.notFound(ROLE_NOT_FOUND));
  }

  private static String checkedName(String name) {
    if (name == null || name.isBlank()) {
      throw ApiError.invalidRequest("Name is required.");
    }
    var stripped = name.strip();
    if (Role.isSystem(stripped)) {
      throw ApiError.invalidRequest("Role cannot start with 'meshy.'.");
    }
    if (!Role.isValidName(stripped)) {
      throw ApiError.invalidRequest("Name can only be alpha characters only.");
    }
    return stripped;
  }

  private static Optional<String> description(RoleInput input) {
    var description = input.description().map(String::strip).filter(text -> !text.isEmpty());
    if (description.filter(text -> text.chars().anyMatch(Character::isISOControl)).isPresent()) {
      throw ApiError.invalidRequest("Description may not hold control characters.");
    }
    return description;
  }

  /** The permissible's name as the account knows it, once MeshyDB's checks of the permission pass. */
  private String checkedPermission(Caller caller, String permissible, Operations operations) {
    if (permissible == null || permissible.isBlank()) {
      throw ApiError.invalidRequest("Permissible name is required.");
    }
    if (operations.isEmpty()) {
      throw ApiError.invalidRequest("At least one of the following must be set: Create, Update, Read, Delete.");
    }
    var name = permissible.strip();
    var known = new ArrayList<Permissible>(Permissible.BUILT_IN);
    known.addAll(roles.permissibles(caller.account().name()));
    var found = known.stream().filter(each -> each.name().equalsIgnoreCase(name)).findFirst()
        .orElseThrow(() -> ApiError.invalidRequest("Permissible does not exist."));
    if (!operations.within(found.supported())) {
      // sic: MeshyDB's spelling
      throw ApiError.invalidRequest("Permisisble does not support the permission configuration.");
    }
    return found.name();
  }

  private static RolePermission written(PermissionWrite write) {
    return switch (write.status()) {
      case DONE -> write.permission().orElseThrow();
      case NO_ROLE -> throw ApiError.invalidRequest("Role does not exist.");
      case NO_PERMISSION -> throw ApiError.notFound(PERMISSION_NOT_FOUND);
      case ALREADY_CONFIGURED -> throw ApiError.invalidRequest("Permissible was already configured for role.");
      case RELATED_CONFIGURED -> throw ApiError.invalidRequest("Permissible cannot be configured with a parent or "
          + "child permissible already configured for role.");
    };
  }
}
