package io.meshyauth.server.cli;

import io.meshyauth.server.config.SettingsException;
import io.meshyauth.server.logging.ConsoleLogConfigurator;
import io.meshyauth.server.store.ConflictException;
import io.meshyauth.server.store.DuplicateException;
import io.meshyauth.server.store.NotFoundException;
import io.meshyauth.server.store.StoreException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The server jar's entry point: {@code java -jar meshy-auth-server.jar serve --demo}, and the commands an operator
 * manages accounts, clients, users and keys with. Exit codes: 0 done, 1 the operation failed, 2 bad usage or settings.
 */
@Command(name = "meshy-auth",
    description = "OAuth2 token service compatible with MeshyDB's auth API.")
public final class MeshyAuthCommand extends GroupCommand {
  /** Its commands, in the order its help lists them; {@code serve} alone when that is what runs. */
  private static final List<Class<?>> COMMANDS = List.of(ServeCommand.class, AccountsCommand.class,
      ClientsCommand.class, UsersCommand.class, RolesCommand.class, PermissiblesCommand.class, KeysCommand.class, OutboxCommand.class, ConfigCommand.class, CommandLine.HelpCommand.class);
  private static final String PREFIX = "meshy-auth: ";

  /** System properties the logging reads: where log lines go and from which level. */
  static final String LOG_TARGET = ConsoleLogConfigurator.TARGET;
  static final String LOG_LEVEL = ConsoleLogConfigurator.LEVEL;

  public static void main(String[] args) {
    if (args.length == 0 || !"serve".equals(args[0])) {
      // stdout is the admin commands' output; the store's start-up logs would bury it. Logback reads these when
      // the first logger is made, which building the commands does: hence a look at the first argument.
      System.setProperty(LOG_TARGET, "System.err");
      System.setProperty(LOG_LEVEL, "WARN");
    }
    // picocli reads every option of every command it is given (reflection and annotation proxies): a server's
    // start is spared the admin commands' share
    var serving = args.length > 0 && "serve".equals(args[0]);
    System.exit(commandLine(PasswordInput.system(), serving ? List.of(ServeCommand.class) : COMMANDS).execute(args));
  }

  static CommandLine commandLine() {
    return commandLine(PasswordInput.system());
  }

  /** As {@link #commandLine()}, with new users' passwords read from {@code passwords}. */
  static CommandLine commandLine(PasswordInput passwords) {
    return commandLine(passwords, COMMANDS);
  }

  private static CommandLine commandLine(PasswordInput passwords, List<Class<?>> commands) {
    var defaults = CommandLine.defaultFactory();
    var factory = new IFactory() {
      @Override
      public <K> K create(Class<K> type) throws Exception {
        return type == UsersCommand.Create.class ? type.cast(new UsersCommand.Create(passwords))
            : defaults.create(type);
      }
    };
    var cli = new CommandLine(new MeshyAuthCommand(), factory);
    commands.forEach(cli::addSubcommand);
    cli.getSubcommands().get("serve").getCommandSpec().usageMessage().footer(ServeCommand.settingsFooter());
    return cli
        .setParameterExceptionHandler((e, args) -> {
          var command = e.getCommandLine().getCommand();
          if (e instanceof UnmatchedArgumentException && command instanceof UsersCommand.Create) {
            // what follows the username is most likely a password: not to be echoed
            return usageError(e, "users create takes no password on the command line: pipe it as the first line "
                + "of stdin, or run on a terminal to be asked for it");
          }
          // the error and where to read more, not the whole usage (it would bury the one line that matters)
          return usageError(e, e.getMessage());
        })
        .setExecutionExceptionHandler((e, failed, parsed) -> {
          // expected failures: one line each, no stack trace
          if (e instanceof SettingsException) {
            failed.getErr().println(PREFIX + e.getMessage());
            return ExitCodes.USAGE;
          }
          if (e instanceof CommandFailure) {
            failed.getErr().println(PREFIX + e.getMessage());
            return ((CommandFailure) e).exitCode();
          }
          if (e instanceof NotFoundException || e instanceof DuplicateException
              || e instanceof ConflictException) {
            failed.getErr().println(PREFIX + e.getMessage());
            return ExitCodes.FAILED;
          }
          if (e instanceof StoreException) {
            failed.getErr().println(PREFIX + e.getMessage() + causes(e));
            return ExitCodes.FAILED;
          }
          throw e;
        });
  }

  private static int usageError(ParameterException e, String message) {
    var cli = e.getCommandLine();
    cli.getErr().println(PREFIX + message);
    cli.getErr().println("Try '" + cli.getCommandSpec().qualifiedName() + " --help' for more information.");
    return cli.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** Why the store failed, e.g. the database refused the connection; its messages name no secret. */
  private static String causes(Throwable e) {
    var why = new StringBuilder();
    for (var cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
      if (cause.getMessage() != null && !e.getMessage().contains(cause.getMessage())) {
        why.append(": ").append(cause.getMessage());
      }
    }
    return why.toString();
  }
}
