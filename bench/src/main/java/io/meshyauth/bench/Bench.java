package io.meshyauth.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The tools bench/run drives; each one is usable alone, e.g. the load generator against another server. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    subcommands = {LoadCommand.class, LaunchCommand.class, JarReportCommand.class, PostgresCommand.class,
        DefencesCommand.class,
        ReportCommand.class})
public final class Bench {
  public static void main(String[] args) {
    System.exit(new CommandLine(new Bench()).execute(args));
  }
}
