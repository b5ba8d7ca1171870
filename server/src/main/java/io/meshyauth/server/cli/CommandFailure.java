package io.meshyauth.server.cli;

/** A failure the operator can act on: one line on stderr, no stack trace, the given exit code. */
final class CommandFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  CommandFailure(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  /** Bad input the operator can correct, like a bad option: the exit code of a usage error. */
  static CommandFailure usage(String message) {
    return new CommandFailure(message, ExitCodes.USAGE);
  }

  int exitCode() {
    return exitCode;
  }
}
