package dev.warren.ctl;

/**
 * A failure a command reports: the text rabbitmqctl prints on stderr for it and the exit status.
 * Thrown by commands and the API client; {@link Warrenctl} prints it and exits with its status.
 */
public final class CtlException extends RuntimeException {
  private final int exitCode;

  private CtlException(int exitCode, String text) {
    super(text);
    this.exitCode = exitCode;
  }

  /** Printed as rabbitmqctl prints most errors: a line "Error:", then the message. */
  public static CtlException error(int exitCode, String message) {
    return new CtlException(exitCode, "Error:\n" + message);
  }

  /** Printed as it is (rabbitmqctl's errors that carry their own exit status). */
  public static CtlException bare(int exitCode, String text) {
    return new CtlException(exitCode, text);
  }

  /** The virtual host named does not exist: rabbitmqctl's wording and status for it. */
  public static CtlException noSuchVhost(String vhost) {
    return bare(ExitCode.DATA_ERROR, "Virtual host '" + vhost + "' does not exist");
  }

  public int exitCode() {
    return exitCode;
  }

  /** What goes to stderr, without the final newline. */
  public String text() {
    return getMessage();
  }
}
