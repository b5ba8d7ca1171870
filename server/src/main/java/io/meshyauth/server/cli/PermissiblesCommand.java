package io.meshyauth.server.cli;

import io.meshyauth.server.store.DuplicateException;
import io.meshyauth.server.store.Permissible;
import io.meshyauth.server.store.RoleStore;
import io.meshyauth.server.values.Operation;
import io.meshyauth.server.values.Operations;
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

@Command(name = "permissibles",
    description = "Add and list what a role's permissions may name: the app's own permissibles (e.g. meshes, "
        + "meshes.person) beside the server's own, users and roles.",
    subcommands = {PermissiblesCommand.Add.class, PermissiblesCommand.ListPermissibles.class})
final class PermissiblesCommand extends GroupCommand {

  /** The four flags of a permission or a permissible, as {@code --create --read --update --delete}. */
  static final class OperationFlags {
    @Option(names = "--create", description = "The create operation (claim PERMISSIBLE:create).")
    boolean create;

    @Option(names = "--read", description = "The read operation (claim PERMISSIBLE:read).")
    boolean read;

    @Option(names = "--update", description = "The update operation (claim PERMISSIBLE:update).")
    boolean update;

    @Option(names = "--delete", description = "The delete operation (claim PERMISSIBLE:delete).")
    boolean delete;

    /** The flags given; a usage error when none is. */
    Operations operations() {
      var operations = new Operations(create, read, update, delete);
      if (operations.isEmpty()) {
        throw CommandFailure.usage("give at least one of --create, --read, --update, --delete");
      }
      return operations;
    }
  }

  @Command(name = "add", description = {
      "Add a permissible to an account, with the operations it supports; a role's permission on it may grant only "
          + "those (roles permission add).",
      "A name is letters, and may have dotted levels such as meshes.person; users and roles (and their dotted "
          + "children) are the server's own."})
  static final class Add extends StoreCommand {
    @Parameters(index = "0", paramLabel = "ACCOUNT", description = "The account.")
    String account;

    @Parameters(index = "1", paramLabel = "NAME", description = "The permissible, e.g. meshes or meshes.person.")
    String name;

    @Mixin
    OperationFlags flags;

    @Override
    void run(Operator operator, PrintWriter out) {
      if (!Permission.isPermissibleName(name)) {
        throw CommandFailure.usage("a permissible's name is letters, with dotted levels such as meshes.person "
            + "(at most 128 characters), was '" + name + "'");
      }
      if (Permissible.isBuiltIn(name)) {
        throw CommandFailure.usage("the name " + name + " is reserved: users and roles, and their dotted children, "
            + "are the server's own permissibles; choose another name");
      }
      var supported = flags.operations();
      var roles = roleStore(operator);
      operator.provisioning().account(account);
      try {
        roles.addPermissible(account, new Permissible(name, supported));
      } catch (DuplicateException e) {
        throw new DuplicateException("permissible " + name + " exists already in account " + account
            + " (permissibles list " + account + " shows what it supports)");
      }
      out.println("added permissible " + name + " to account " + account + ", supporting " + describe(supported));
    }
  }

  @Command(name = "list", description = "List the permissibles of an account and the operations each supports, the "
      + "server's own (users, roles) first.")
  static final class ListPermissibles extends StoreCommand {
    @Parameters(paramLabel = "ACCOUNT", description = "The account.")
    String account;

    @Override
    void run(Operator operator, PrintWriter out) {
      var roles = roleStore(operator);
      operator.provisioning().account(account);
      var table = new Table("NAME", "CREATE", "READ", "UPDATE", "DELETE", "BUILT-IN");
      for (var permissible : all(roles, account)) {
        var supported = permissible.supported();
        table.row(permissible.name(), Table.yesNo(supported.create()), Table.yesNo(supported.read()),
            Table.yesNo(supported.update()), Table.yesNo(supported.delete()),
            Table.yesNo(Permissible.BUILT_IN.contains(permissible)));
      }
      table.print(out);
    }
  }

  /** The server's own permissibles, then the account's, each by name. */
  static List<Permissible> all(RoleStore roles, String account) {
    var all = new ArrayList<>(Permissible.BUILT_IN);
    all.addAll(roles.permissibles(account));
    return all;
  }

  /** The account's permissible of that name (case aside, as the API finds it), the server's own included. */
  static Optional<Permissible> find(RoleStore roles, String account, String name) {
    return all(roles, account).stream().filter(permissible -> permissible.name().equalsIgnoreCase(name))
        .findFirst();
  }

  /** The store's roles: the JDBC store, which the commands open, always keeps them. */
  static RoleStore roleStore(StoreCommand.Operator operator) {
    return operator.stores().roles().orElseThrow(() -> new CommandFailure(
        "this store keeps no roles or permissibles: run the command on the store serve uses", ExitCodes.FAILED));
  }

  /** The flags set, as the claim strings write them: {@code create, read}. */
  static String describe(Operations operations) {
    return operations.asSet().stream().map(Operation::claimName).collect(Collectors.joining(", "));
  }
}
