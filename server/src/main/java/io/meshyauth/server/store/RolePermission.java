package io.meshyauth.server.store;

import io.meshyauth.server.values.Operation;
import io.meshyauth.server.values.Operations;
import io.meshyauth.server.values.Permission;
import java.util.List;
import java.util.Objects;

/** A permission a role holds: MeshyDB's {@code {id, permissibleName, create, read, update, delete}}. */
public record RolePermission(String id, String roleId, String permissible, Operations operations) {
  public RolePermission {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(roleId, "roleId");
    Objects.requireNonNull(permissible, "permissible");
    Objects.requireNonNull(operations, "operations");
  }

  /** One {@link Permission} per flag set, in the order of {@link Operation}. */
  public List<Permission> permissions() {
    return operations.asSet().stream().map(operation -> new Permission(permissible, operation)).toList();
  }
}
