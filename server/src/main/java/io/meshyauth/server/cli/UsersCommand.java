package io.meshyauth.server.cli;

import io.meshyauth.server.Provisioning.ProfileChange;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "users",
    description = "Create, import, update, deactivate, reactivate, delete and list the users of an account, and "
        + "give them roles.",
    subcommands = {UsersCommand.Create.class, UsersImportCommand.class, UsersCommand.Update.class,
        UsersCommand.Deactivate.class, UsersCommand.Reactivate.class, UsersCommand.Delete.class,
        UsersCommand.ListUsers.class, UserRolesCommands.AddRole.class, UserRolesCommands.RemoveRole.class})
final class UsersCommand extends GroupCommand {

  /** The account and username every command on one user takes. */
  static final class UserParameters {
    @Parameters(index = "0", paramLabel = "ACCOUNT", description = "The account.")
    String account;

    @Parameters(index = "1", paramLabel = "USERNAME", description = "The user.")
    String username;
  }

  /** MeshyDB's profile of a user, carried in its access tokens (given_name, family_name, role, permission). */
  static final class ProfileOptions {
    @Option(names = "--first-name", paramLabel = "NAME", description = "First name (claim given_name); '' removes it.")
    String firstName;

    @Option(names = "--last-name", paramLabel = "NAME", description = "Last name (claim family_name); '' removes it.")
    String lastName;

    @Option(names = "--role", paramLabel = "ROLE",
        description = "A role (claim role); repeat for several. Given at all, the roles replace the user's.")
    List<String> roles;

    @Option(names = "--no-roles", description = "Remove every role of the user.")
    boolean noRoles;

    @Option(names = "--permission", paramLabel = "PERMISSION",
        description = "A permission (claim permission); repeat for several. Given at all, they replace the user's.")
    List<String> permissions;

    @Option(names = "--no-permissions", description = "Remove every permission of the user.")
    boolean noPermissions;

    ProfileChange change() {
      for (var value : concat(roles, permissions)) {
        if (value.isBlank() || !value.strip().equals(value)) {
          throw CommandFailure.usage("a role or permission must be a non-blank word, was '" + value + "'");
        }
      }
      if ((noRoles && roles != null) || (noPermissions && permissions != null)) {
        throw CommandFailure.usage("--no-roles and --no-permissions cannot be given with a value");
      }
      return new ProfileChange(Optional.ofNullable(firstName), Optional.ofNullable(lastName),
          noRoles ? Optional.of(List.of()) : Optional.ofNullable(roles),
          noPermissions ? Optional.of(List.of()) : Optional.ofNullable(permissions));
    }

    private static List<String> concat(List<String> a, List<String> b) {
      var all = new ArrayList<String>();
      if (a != null) {
        all.addAll(a);
      }
      if (b != null) {
        all.addAll(b);
      }
      return all;
    }
  }

  @Command(name = "update", description = {
      "Change the names, roles or permissions of a user; what is not given stays as it is.",
      "Tokens issued from now on carry the change (access tokens already issued keep theirs until they expire)."})
  static final class Update extends StoreCommand {
    @Mixin
    UserParameters user;

    @Mixin
    ProfileOptions profile;

    @Override
    void run(Operator operator, PrintWriter out) {
      operator.provisioning().updateProfile(user.account, user.username, profile.change());
      out.println("updated user " + user.username + " in account " + user.account);
    }
  }

  @Command(name = "create", description = {
      "Create an active, verified user. The password is asked for twice on a terminal, or read from the first "
          + "line of stdin; never from the command line.",
      "With --anonymous, an anonymous user: no password, it logs in with the static password nopassword."})
  static final class Create extends StoreCommand {
    @Mixin
    UserParameters user;

    @Option(names = "--anonymous", description = "Create an anonymous user, which has no password.")
    boolean anonymous;

    @Mixin
    ProfileOptions profile;

    private final PasswordInput passwords;

    Create(PasswordInput passwords) {
      this.passwords = passwords;
    }

    @Override
    void run(Operator operator, PrintWriter out) {
      var provisioning = operator.provisioning();
      var change = profile.change();
      if (anonymous) {
        provisioning.createAnonymousUser(user.account, user.username);
        provisioning.updateProfile(user.account, user.username, change);
        out.println("created anonymous user " + user.username + " in account " + user.account);
        return;
      }
      // before asking for a password that could not be used
      var account = provisioning.account(user.account);
      try (var password = passwords.read(user.username)) {
        if (!account.signUp().allowsPassword(password)) {
          throw CommandFailure.usage("the password must be at least " + account.signUp().minPasswordLength()
              + " characters (the account's minimum: accounts update " + user.account + " --min-password-length N)");
        }
        provisioning.createUser(user.account, user.username, password, change);
      }
      out.println("created user " + user.username + " in account " + user.account);
    }
  }

  @Command(name = "deactivate", description = "Stop a user from logging in; its password and tokens are kept.")
  static final class Deactivate extends StoreCommand {
    @Mixin
    UserParameters user;

    @Override
    void run(Operator operator, PrintWriter out) {
      operator.provisioning().setActive(user.account, user.username, false);
      out.println("deactivated user " + user.username + " in account " + user.account);
    }
  }

  @Command(name = "reactivate", description = "Let a deactivated user log in again.")
  static final class Reactivate extends StoreCommand {
    @Mixin
    UserParameters user;

    @Override
    void run(Operator operator, PrintWriter out) {
      operator.provisioning().setActive(user.account, user.username, true);
      out.println("reactivated user " + user.username + " in account " + user.account);
    }
  }

  @Command(name = "delete", description = "Delete a user and every refresh token issued to it.")
  static final class Delete extends StoreCommand {
    @Mixin
    UserParameters user;

    @Override
    void run(Operator operator, PrintWriter out) {
      operator.provisioning().deleteUser(user.account, user.username);
      out.println("deleted user " + user.username + " from account " + user.account);
    }
  }

  @Command(name = "list", description = "List the users of an account: username, active, verified, anonymous.")
  static final class ListUsers extends StoreCommand {
    @Parameters(paramLabel = "ACCOUNT", description = "The account.")
    String account;

    @Override
    void run(Operator operator, PrintWriter out) {
      operator.provisioning().account(account);
      var table = new Table("USERNAME", "ACTIVE", "VERIFIED", "ANONYMOUS", "CREATED");
      for (var user : operator.stores().users().listUsers(account)) {
        table.row(user.username(), Table.yesNo(user.active()), Table.yesNo(user.verified()),
            Table.yesNo(user.anonymous()), Table.instant(user.createdAt()));
      }
      table.print(out);
    }
  }
}
