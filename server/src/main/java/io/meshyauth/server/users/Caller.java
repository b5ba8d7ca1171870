package io.meshyauth.server.users;

import io.meshyauth.server.store.Account;
import io.meshyauth.server.values.Permission;
import java.util.List;
import java.util.Set;

/**
 * Who calls an administration endpoint, as its verified access token says: the account, the user's id, and the
 * roles and permissions the token was issued with. Nothing here was read from the store.
 */
public record Caller(Account account, String userId, List<String> roles, Set<String> permissions) {
  public Caller {
    roles = List.copyOf(roles);
    permissions = Set.copyOf(permissions);
  }

  public boolean may(Permission permission) {
    return permissions.contains(permission.claim());
  }
}
