package io.meshyauth.client;

import java.util.Objects;
import java.util.Optional;

/**
 * A role of the account (MeshyDB's Role). Users hold roles by name; the administration names a role by its
 * {@code id}, which is null only in a role made with {@link #of} that is not created yet. {@code numberOfUsers}
 * is how many users hold it, as the server counted them.
 */
public record Role(String id, String name, Optional<String> description, long numberOfUsers) {
  public Role {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
  }

  /** A role to {@link RolesService#create(Role) create}: a name of letters only, and a description or null. */
  public static Role of(String name, String description) {
    return new Role(null, name, Optional.ofNullable(description), 0);
  }

  public Role withName(String value) {
    return new Role(id, value, description, numberOfUsers);
  }

  /** Null removes the description. */
  public Role withDescription(String value) {
    return new Role(id, name, Optional.ofNullable(value), numberOfUsers);
  }

  static Role from(io.meshyauth.client.generated.model.Role role) {
    return new Role(role.getId(), role.getName(), Optional.ofNullable(role.getDescription()),
        role.getNumberOfUsers() == null ? 0 : role.getNumberOfUsers());
  }
}
