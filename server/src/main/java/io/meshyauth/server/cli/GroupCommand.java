package io.meshyauth.server.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** A command that only groups others: run without one of them, it is a usage error naming them. */
@Command(mixinStandardHelpOptions = true, versionProvider = VersionProvider.class)
abstract class GroupCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(),
        "missing command: one of " + String.join(", ", spec.subcommands().keySet()));
  }
}
