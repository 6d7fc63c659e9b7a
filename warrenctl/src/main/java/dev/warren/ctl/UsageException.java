package dev.warren.ctl;

/**
 * A command line that does not fit the command: rabbitmqctl's "Error (argument validation): ..."
 * and exit status 64 (or 65 where rabbitmqctl says "Bad argument", e.g. a file that does not
 * exist). Thrown while validating, before any request is sent.
 */
public final class UsageException extends RuntimeException {
  private final int exitCode;

  public UsageException(String message) {
    this(ExitCode.USAGE, message);
  }

  public UsageException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
