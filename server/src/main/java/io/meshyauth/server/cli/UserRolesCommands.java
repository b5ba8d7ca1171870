package io.meshyauth.server.cli;

import io.meshyauth.server.store.NotFoundException;
import io.meshyauth.server.store.Role;
import io.meshyauth.server.store.User;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code users add-role} and {@code users remove-role}: who holds which of the roles that {@code roles} makes. */
final class UserRolesCommands {
  private UserRolesCommands() {
  }

  @Command(name = "add-role", description = {
      "Give a user a role of its account (roles create makes one): the user's tokens carry the role and its "
          + "permissions from its next login or refresh. Anonymous users hold no roles."})
  static final class AddRole extends StoreCommand {
    @Mixin
    UsersCommand.UserParameters user;

    @Parameters(index = "2", paramLabel = "ROLE", description = "The role's name (case aside).")
    String role;

    @Override
    void run(Operator operator, PrintWriter out) {
      var roles = PermissiblesCommand.roleStore(operator);
      var holder = requireUser(operator, user.account, user.username);
      if (holder.anonymous()) {
        throw new CommandFailure("user " + holder.username() + " is anonymous, and anonymous users cannot hold "
            + "roles: give the role to a user with a password", ExitCodes.FAILED);
      }
      var given = requireRole(operator, user.account, role);
      if (roles.addMembers(user.account, given.id(), List.of(holder.id()), operator.config().clock().instant())
          == 0) {
        throw new CommandFailure("user " + holder.username() + " already has role " + given.name() + " in account "
            + user.account, ExitCodes.FAILED);
      }
      out.println("gave role " + given.name() + " to user " + holder.username() + " in account " + user.account);
    }
  }

  @Command(name = "remove-role", description = "Take a role from a user: the user's tokens no longer carry it nor "
      + "its permissions from its next login or refresh (access tokens already issued keep them until they expire).")
  static final class RemoveRole extends StoreCommand {
    @Mixin
    UsersCommand.UserParameters user;

    @Parameters(index = "2", paramLabel = "ROLE", description = "The role's name (case aside).")
    String role;

    @Override
    void run(Operator operator, PrintWriter out) {
      var roles = PermissiblesCommand.roleStore(operator);
      var holder = requireUser(operator, user.account, user.username);
      var taken = requireRole(operator, user.account, role);
      if (roles.removeMembers(user.account, taken.id(), List.of(holder.id())) == 0) {
        throw new CommandFailure("user " + holder.username() + " does not have role " + taken.name()
            + " in account " + user.account, ExitCodes.FAILED);
      }
      out.println("took role " + taken.name() + " from user " + holder.username() + " in account "
          + user.account);
    }
  }

  /** The user of that username; {@link NotFoundException} for no account or no such user. */
  private static User requireUser(StoreCommand.Operator operator, String account, String username) {
    operator.provisioning().account(account);
    return operator.stores().users().findUser(account, username)
        .orElseThrow(() -> new NotFoundException("no user " + username + " in account " + account
            + " (users list " + account + " lists its users)"));
  }

  private static Role requireRole(StoreCommand.Operator operator, String account, String name) {
    return RolesCommand.requireRole(operator, PermissiblesCommand.roleStore(operator), account, name);
  }
}
