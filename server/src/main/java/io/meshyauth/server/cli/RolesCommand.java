package io.meshyauth.server.cli;

import io.meshyauth.server.store.DuplicateException;
import io.meshyauth.server.store.NotFoundException;
import io.meshyauth.server.store.Role;
import io.meshyauth.server.store.RolePermission;
import io.meshyauth.server.store.RoleStore;
import io.meshyauth.server.store.RoleStore.PermissionWrite;
import io.meshyauth.server.values.Permission;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "roles",
    description = {"Create, update, delete and list the roles of an account, and the permissions they grant.",
        "A user's tokens carry its roles (claim role) and their permissions as permissible:operation (claim "
            + "permission) from its next login or refresh; give roles with users add-role."},
    subcommands = {RolesCommand.Create.class, RolesCommand.ListRoles.class, RolesCommand.Update.class,
        RolesCommand.Delete.class, RolesCommand.PermissionCommand.class})
final class RolesCommand extends GroupCommand {
  /** Roles read a page at a time, for a listing of all of them. */
  private static final int PAGE_SIZE = 100;

  /** The account and role name every command on one role takes. */
  static final class RoleParameters {
    @Parameters(index = "0", paramLabel = "ACCOUNT", description = "The account.")
    String account;

    @Parameters(index = "1", paramLabel = "ROLE", description = "The role's name (case aside).")
    String role;
  }

  @Command(name = "create", description = "Create a role with no permissions, and print its id (as the API names "
      + "it). A name is letters only; names beginning meshy. are MeshyDB's system roles.")
  static final class Create extends StoreCommand {
    @Parameters(index = "0", paramLabel = "ACCOUNT", description = "The account.")
    String account;

    @Parameters(index = "1", paramLabel = "NAME", description = "The role's name, e.g. admins.")
    String name;

    @Option(names = "--description", paramLabel = "TEXT", description = "What the role is for.")
    String description;

    @Override
    void run(Operator operator, PrintWriter out) {
      requireNewName(name);
      var roles = PermissiblesCommand.roleStore(operator);
      operator.provisioning().account(account);
      Role role;
      try {
        role = roles.createRole(account, name, description(description), operator.config().clock().instant());
      } catch (DuplicateException e) {
        throw exists(account, name);
      }
      out.println("created role " + role.name() + " in account " + account + " with id " + role.id());
    }
  }

  @Command(name = "list", description = "List the roles of an account: id, name, description, how many users hold "
      + "each, and the permissions each grants as permissible:operation.")
  static final class ListRoles extends StoreCommand {
    @Parameters(paramLabel = "ACCOUNT", description = "The account.")
    String account;

    @Override
    void run(Operator operator, PrintWriter out) {
      var roles = PermissiblesCommand.roleStore(operator);
      operator.provisioning().account(account);
      var table = new Table("ID", "NAME", "DESCRIPTION", "USERS", "PERMISSIONS");
      for (var role : allRoles(roles, account)) {
        var claims = permissionsOf(roles, account, role).stream()
            .flatMap(permission -> permission.permissions().stream()).map(Permission::claim).toList();
        table.row(role.id(), role.name(), role.description().orElse("-"), role.numberOfUsers(),
            claims.isEmpty() ? "-" : String.join(",", claims));
      }
      table.print(out);
    }
  }

  @Command(name = "update", description = {"Rename a role or change its description; what is not given stays as "
      + "it is. Its users keep it under the new name.",
      "Tokens issued from now on carry the change (access tokens already issued keep theirs until they expire)."})
  static final class Update extends StoreCommand {
    @Mixin
    RoleParameters role;

    @Option(names = "--name", paramLabel = "NEW", description = "The new name: letters only.")
    String newName;

    @Option(names = "--description", paramLabel = "TEXT", description = "The new description; '' removes it.")
    String description;

    @Override
    void run(Operator operator, PrintWriter out) {
      if (newName == null && description == null) {
        throw CommandFailure.usage("nothing to change: give --name NEW or --description TEXT");
      }
      requireChangeable(role.role);
      if (newName != null) {
        requireNewName(newName);
      }
      var roles = PermissiblesCommand.roleStore(operator);
      var current = requireRole(operator, roles, role.account, role.role);
      var name = newName == null ? current.name() : newName;
      Role updated;
      try {
        updated = roles.updateRole(role.account, current.id(), name,
            description == null ? current.description() : description(description));
      } catch (DuplicateException e) {
        throw exists(role.account, name);
      } catch (NotFoundException e) {
        throw noRole(role.account, role.role);
      }
      out.println(updated.name().equals(current.name())
          ? "updated role " + updated.name() + " in account " + role.account
          : "renamed role " + current.name() + " to " + updated.name() + " in account " + role.account);
    }
  }

  @Command(name = "delete", description = "Delete a role: its permissions go with it, and its users no longer hold "
      + "it from their next login or refresh.")
  static final class Delete extends StoreCommand {
    @Mixin
    RoleParameters role;

    @Override
    void run(Operator operator, PrintWriter out) {
      requireChangeable(role.role);
      var roles = PermissiblesCommand.roleStore(operator);
      var current = requireRole(operator, roles, role.account, role.role);
      if (!roles.deleteRole(role.account, current.id())) {
        throw noRole(role.account, role.role);
      }
      out.println("deleted role " + current.name() + " from account " + role.account + " (held by "
          + users(current.numberOfUsers()) + ")");
    }
  }

  @Command(name = "permission", description = "Add and remove the permissions of a role.",
      subcommands = {AddPermission.class, RemovePermission.class})
  static final class PermissionCommand extends GroupCommand {
  }

  @Command(name = "add", description = {
      "Let a role's users do some of what a permissible supports (permissibles list shows them): a permission "
          + "claim permissible:operation for each flag given.",
      "A role holds one permission per permissible, and none on a dotted relative of one it holds (meshes and "
          + "meshes.person): remove that one first to change it."})
  static final class AddPermission extends StoreCommand {
    @Mixin
    RoleParameters role;

    @Parameters(index = "2", paramLabel = "PERMISSIBLE", description = "What it permits, e.g. users or meshes.")
    String permissible;

    @Mixin
    PermissiblesCommand.OperationFlags flags;

    @Override
    void run(Operator operator, PrintWriter out) {
      var operations = flags.operations();
      requireChangeable(role.role);
      if (!Permission.isPermissibleName(permissible)) {
        throw CommandFailure.usage("a permissible's name is letters, with dotted levels such as meshes.person, "
            + "was '" + permissible + "'");
      }
      var roles = PermissiblesCommand.roleStore(operator);
      var current = requireRole(operator, roles, role.account, role.role);
      var found = PermissiblesCommand.find(roles, role.account, permissible)
          .orElseThrow(() -> new NotFoundException("no permissible " + permissible + " in account "
              + role.account + ": add it with permissibles add " + role.account + " " + permissible
              + " and the operations it supports"));
      if (!operations.within(found.supported())) {
        throw CommandFailure.usage("permissible " + found.name() + " supports only "
            + PermissiblesCommand.describe(found.supported()) + ": leave out the other flags");
      }
      var write = roles.addPermission(role.account, current.id(), found.name(), operations);
      switch (write.status()) {
        case DONE -> out.println("role " + current.name() + " in account " + role.account + " now grants "
            + claims(write) + " (in tokens issued from now on)");
        case ALREADY_CONFIGURED -> throw new CommandFailure("role " + current.name() + " has a permission on "
            + found.name() + " already: remove it first (roles permission remove " + role.account + " "
            + current.name() + " " + found.name() + "), then add it with the flags it should have",
            ExitCodes.FAILED);
        case RELATED_CONFIGURED -> throw new CommandFailure("role " + current.name() + " has a permission on "
            + related(roles, role.account, current, found.name()) + ", a dotted relative of " + found.name()
            + ", and may hold only one of them: remove that one first", ExitCodes.FAILED);
        case NO_ROLE -> throw noRole(role.account, role.role);
        case NO_PERMISSION -> throw new IllegalStateException("a new permission has no permission to change");
      }
    }

    private static String claims(PermissionWrite write) {
      return write.permission().orElseThrow().permissions().stream().map(Permission::claim)
          .collect(Collectors.joining(", "));
    }

    private static String related(RoleStore roles, String account, Role role, String permissible) {
      return permissionsOf(roles, account, role).stream().map(RolePermission::permissible)
          .filter(held -> Permission.related(held, permissible)).findFirst()
          .orElse("a dotted relative of it");
    }
  }

  @Command(name = "remove", description = "Remove a role's permission on a permissible, whatever its flags.")
  static final class RemovePermission extends StoreCommand {
    @Mixin
    RoleParameters role;

    @Parameters(index = "2", paramLabel = "PERMISSIBLE", description = "The permissible, e.g. users or meshes.")
    String permissible;

    @Override
    void run(Operator operator, PrintWriter out) {
      requireChangeable(role.role);
      var roles = PermissiblesCommand.roleStore(operator);
      var current = requireRole(operator, roles, role.account, role.role);
      var held = permissionsOf(roles, role.account, current).stream()
          .filter(permission -> permission.permissible().equalsIgnoreCase(permissible)).findFirst()
          .orElseThrow(() -> noPermission(role.account, current, permissible));
      if (!roles.deletePermission(role.account, current.id(), held.id())) {
        throw noPermission(role.account, current, permissible);
      }
      out.println("role " + current.name() + " in account " + role.account + " no longer grants "
          + held.permissions().stream().map(Permission::claim).collect(Collectors.joining(", "))
          + " (in tokens issued from now on)");
    }

    private static CommandFailure noPermission(String account, Role role, String permissible) {
      return new CommandFailure("role " + role.name() + " has no permission on " + permissible
          + " (roles list " + account + " shows the permissions of each role)", ExitCodes.FAILED);
    }
  }

  /** A usage error unless {@code name} may name a new role. */
  private static void requireNewName(String name) {
    if (Role.isSystem(name)) {
      throw CommandFailure.usage("role names beginning " + Role.SYSTEM_PREFIX + " are reserved for MeshyDB's "
          + "system roles; choose another name");
    }
    if (!Role.isValidName(name)) {
      throw CommandFailure.usage("a role's name is letters only (at most " + Role.MAX_NAME_LENGTH
          + "), was '" + name + "'");
    }
  }

  /** A usage error for a system role, which no command changes. */
  private static void requireChangeable(String name) {
    if (Role.isSystem(name)) {
      throw CommandFailure.usage("role " + name + " is one of MeshyDB's system roles (named " + Role.SYSTEM_PREFIX
          + "...), which cannot be changed");
    }
  }

  /** The role of that name (case aside); {@link NotFoundException} for no account or no such role. */
  static Role requireRole(StoreCommand.Operator operator, RoleStore roles, String account, String name) {
    operator.provisioning().account(account);
    return roles.findRoleByName(account, name).orElseThrow(() -> noRole(account, name));
  }

  private static NotFoundException noRole(String account, String name) {
    return new NotFoundException("no role " + name + " in account " + account + " (roles list " + account
        + " lists its roles)");
  }

  private static DuplicateException exists(String account, String name) {
    return new DuplicateException("role " + name + " exists already in account " + account + " (roles list "
        + account + " lists its roles)");
  }

  /** What {@code --description} sets: none when blank, and no control characters (as the API has it). */
  private static Optional<String> description(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    if (text.chars().anyMatch(Character::isISOControl)) {
      throw CommandFailure.usage("a role's description may not hold control characters such as a line break");
    }
    return Optional.of(text.strip());
  }

  private static String users(long count) {
    return count + (count == 1 ? " user" : " users");
  }

  private static List<Role> allRoles(RoleStore roles, String account) {
    var all = new ArrayList<Role>();
    for (int page = 1; ; page++) {
      var found = roles.searchRoles(account, Optional.empty(), page, PAGE_SIZE);
      all.addAll(found.results());
      if (found.results().size() < PAGE_SIZE || all.size() >= found.totalRecords()) {
        return all;
      }
    }
  }

  static List<RolePermission> permissionsOf(RoleStore roles, String account, Role role) {
    var all = new ArrayList<RolePermission>();
    for (int page = 1; ; page++) {
      var found = roles.searchPermissions(account, role.id(), Optional.empty(), page, PAGE_SIZE);
      all.addAll(found.results());
      if (found.results().size() < PAGE_SIZE || all.size() >= found.totalRecords()) {
        return all;
      }
    }
  }
}
