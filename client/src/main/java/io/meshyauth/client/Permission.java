package io.meshyauth.client;

import java.util.List;
import java.util.Objects;

/**
 * A permission of a role (MeshyDB's Permission): which operations on the permissible its holders may do, and the
 * {@code claims} it puts in their access tokens from their next login or refresh ({@code users:read}, one for each
 * flag set). {@code id} is null only in a permission made with {@link #of} that is not created yet, whose claims
 * are empty.
 */
public record Permission(String id, String permissibleName, boolean create, boolean read, boolean update,
    boolean delete, List<String> claims) {
  public Permission {
    Objects.requireNonNull(permissibleName, "permissibleName");
    claims = List.copyOf(claims);
  }

  /**
   * A permission to {@link RolesService#createPermission create} or to {@link RolesService#updatePermission
   * replace} one with: at least one flag set, each one the permissible supports.
   */
  public static Permission of(String permissibleName, boolean create, boolean read, boolean update,
      boolean delete) {
    return new Permission(null, permissibleName, create, read, update, delete, List.of());
  }

  static Permission from(io.meshyauth.client.generated.model.Permission permission) {
    return new Permission(permission.getId(), permission.getPermissibleName(),
        Boolean.TRUE.equals(permission.getCreate()), Boolean.TRUE.equals(permission.getRead()),
        Boolean.TRUE.equals(permission.getUpdate()), Boolean.TRUE.equals(permission.getDelete()),
        permission.getClaims() == null ? List.of() : permission.getClaims());
  }
}
