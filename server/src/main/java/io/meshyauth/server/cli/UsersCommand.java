package io.meshyauth.server.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "users",
    description = "Create, deactivate, reactivate, delete and list the users of an account.",
    subcommands = {UsersCommand.Create.class, UsersCommand.Deactivate.class, UsersCommand.Reactivate.class,
        UsersCommand.Delete.class, UsersCommand.ListUsers.class})
final class UsersCommand extends GroupCommand {

  /** The account and username every command on one user takes. */
  static final class UserParameters {
    @Parameters(index = "0", paramLabel = "ACCOUNT", description = "The account.")
    String account;

    @Parameters(index = "1", paramLabel = "USERNAME", description = "The user.")
    String username;
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

    private final PasswordInput passwords;

    Create(PasswordInput passwords) {
      this.passwords = passwords;
    }

    @Override
    void run(Operator operator, PrintWriter out) {
      var provisioning = operator.provisioning();
      if (anonymous) {
        provisioning.createAnonymousUser(user.account, user.username);
        out.println("created anonymous user " + user.username + " in account " + user.account);
        return;
      }
      // before asking for a password that could not be used
      provisioning.account(user.account);
      try (var password = passwords.read(user.username)) {
        provisioning.createUser(user.account, user.username, password);
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
