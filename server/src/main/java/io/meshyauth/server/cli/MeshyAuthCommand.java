package io.meshyauth.server.cli;

import io.meshyauth.server.config.SettingsException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The server jar's entry point: {@code java -jar meshy-auth-server.jar serve --demo}. */
@Command(name = "meshy-auth", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "OAuth2 token service compatible with MeshyDB's auth API.",
    subcommands = {ServeCommand.class, CommandLine.HelpCommand.class})
public final class MeshyAuthCommand {
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** Bad settings are the operator's to fix: one line naming the setting, no stack trace, exit code 2. */
  static CommandLine commandLine() {
    return new CommandLine(new MeshyAuthCommand())
        .setExecutionExceptionHandler((e, cli, parsed) -> {
          if (e instanceof SettingsException) {
            cli.getErr().println("meshy-auth: " + e.getMessage());
            return 2;
          }
          throw e;
        });
  }
}
