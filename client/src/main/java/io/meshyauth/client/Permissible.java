package io.meshyauth.client;

/**
 * What a permission may name, and the operations it supports (MeshyDB's Permissible): the server's own
 * ({@code users}, {@code roles}) and those an operator added for the app.
 */
public record Permissible(String name, boolean canCreate, boolean canRead, boolean canUpdate, boolean canDelete) {
  static Permissible from(io.meshyauth.client.generated.model.Permissible permissible) {
    return new Permissible(permissible.getName(), Boolean.TRUE.equals(permissible.getCanCreate()),
        Boolean.TRUE.equals(permissible.getCanRead()), Boolean.TRUE.equals(permissible.getCanUpdate()),
        Boolean.TRUE.equals(permissible.getCanDelete()));
  }
}
