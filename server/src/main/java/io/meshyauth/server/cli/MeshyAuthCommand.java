package io.meshyauth.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The server jar's entry point: {@code java -jar meshy-auth-server.jar serve --demo}. */
@Command(name = "meshy-auth", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "OAuth2 token service compatible with MeshyDB's auth API.",
    subcommands = {ServeCommand.class, CommandLine.HelpCommand.class})
public final class MeshyAuthCommand {
  public static void main(String[] args) {
    System.exit(new CommandLine(new MeshyAuthCommand()).execute(args));
  }
}
