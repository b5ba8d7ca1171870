package io.meshyauth.server.store;

import io.meshyauth.server.values.Operations;
import java.util.List;
import java.util.Objects;

/**
 * What a permission may name, with the operations it supports: MeshyDB's {@code {name, canCreate, canRead,
 * canUpdate, canDelete}}. The server's own ({@link #BUILT_IN}) guard its own endpoints and are never stored; an
 * operator adds the app's own (e.g. {@code meshes}, {@code meshes.person}) from the command line.
 */
public record Permissible(String name, Operations supported) {
  public static final Permissible USERS = new Permissible("users", Operations.ALL);
  public static final Permissible ROLES = new Permissible("roles", Operations.ALL);
  public static final List<Permissible> BUILT_IN = List.of(ROLES, USERS);

  public Permissible {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(supported, "supported");
  }

  public static boolean isBuiltIn(String name) {
    return BUILT_IN.stream().anyMatch(permissible -> permissible.name().equals(name)
        || name.startsWith(permissible.name() + "."));
  }
}
