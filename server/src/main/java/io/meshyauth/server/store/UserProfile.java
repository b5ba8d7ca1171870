package io.meshyauth.server.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What MeshyDB keeps about a user beyond its credentials: names, contacts (where sign-up and recovery send their
 * codes), roles (each with the time it was given) and permissions. Its SDKs read them from the access token's
 * claims and from {@code GET users/me}. {@code permissions} are the user's own claim strings, given by an operator
 * or an import; {@code rolePermissions} are those of its roles' permissions, as the store read them with the roles.
 */
public record UserProfile(Optional<String> firstName, Optional<String> lastName, Optional<String> emailAddress,
    Optional<String> phoneNumber, List<Role> roles, List<String> permissions, List<String> rolePermissions) {
  public static final UserProfile EMPTY = new UserProfile(Optional.empty(), Optional.empty(), List.of(), List.of());

  public UserProfile {
    Objects.requireNonNull(firstName, "firstName");
    Objects.requireNonNull(lastName, "lastName");
    Objects.requireNonNull(emailAddress, "emailAddress");
    Objects.requireNonNull(phoneNumber, "phoneNumber");
    // ordered by name, one of each, whatever order they were given or stored in
    var byName = new TreeMap<String, Role>();
    roles.forEach(role -> byName.putIfAbsent(role.name(), role));
    roles = List.copyOf(byName.values());
    permissions = List.copyOf(new TreeSet<>(permissions));
    rolePermissions = List.copyOf(new TreeSet<>(rolePermissions));
  }

  /** A profile whose roles grant nothing beyond the user's own permissions (or not yet read). */
  public UserProfile(Optional<String> firstName, Optional<String> lastName, Optional<String> emailAddress,
      Optional<String> phoneNumber, List<Role> roles, List<String> permissions) {
    this(firstName, lastName, emailAddress, phoneNumber, roles, permissions, List.of());
  }

  /** A profile without contacts. */
  public UserProfile(Optional<String> firstName, Optional<String> lastName, List<Role> roles,
      List<String> permissions) {
    this(firstName, lastName, Optional.empty(), Optional.empty(), roles, permissions);
  }

  public record Role(String name, Instant addedAt) {
    public Role {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(addedAt, "addedAt");
    }
  }

  /** What the access token's {@code permission} claim carries: the user's own and its roles', once each, sorted. */
  public List<String> claimedPermissions() {
    var all = new TreeSet<>(permissions);
    all.addAll(rolePermissions);
    return List.copyOf(all);
  }

  public List<String> roleNames() {
    return roles.stream().map(Role::name).toList();
  }

  public UserProfile withNames(Optional<String> newFirstName, Optional<String> newLastName) {
    return new UserProfile(newFirstName, newLastName, emailAddress, phoneNumber, roles, permissions,
        rolePermissions);
  }

  public UserProfile withContacts(Optional<String> newEmailAddress, Optional<String> newPhoneNumber) {
    return new UserProfile(firstName, lastName, newEmailAddress, newPhoneNumber, roles, permissions,
        rolePermissions);
  }

  /** The roles and the user's own permissions replaced; what the roles granted is no longer known. */
  public UserProfile withGrants(List<Role> newRoles, List<String> newPermissions) {
    return new UserProfile(firstName, lastName, emailAddress, phoneNumber, newRoles, newPermissions);
  }

  public UserProfile withGrants(List<Role> newRoles, List<String> newPermissions, List<String> newRolePermissions) {
    return new UserProfile(firstName, lastName, emailAddress, phoneNumber, newRoles, newPermissions,
        newRolePermissions);
  }
}
