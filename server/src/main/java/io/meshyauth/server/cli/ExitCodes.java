package io.meshyauth.server.cli;

import picocli.CommandLine.ExitCode;

/** What every command exits with; scripts may rely on them. */
final class ExitCodes {
  static final int OK = ExitCode.OK;
  /** The operation failed: no such account or user, a duplicate, the store failed. */
  static final int FAILED = 1;
  /** Bad usage or bad settings; picocli answers bad options with the same code. */
  static final int USAGE = ExitCode.USAGE;

  private ExitCodes() {
  }
}
