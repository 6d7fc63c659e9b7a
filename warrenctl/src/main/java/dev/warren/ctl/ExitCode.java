package dev.warren.ctl;

/**
 * The exit statuses rabbitmqctl uses, from BSD's sysexits.h, with their names there. Which one a
 * failure gets follows rabbitmqctl 3.10 command by command (and is sometimes surprising: deleting a
 * queue that does not exist is {@link #USAGE}); the comparison tests pin each.
 */
public final class ExitCode {
  public static final int OK = 0;

  /** EX_USAGE: bad command line, unknown command; also some "not found" answers. */
  public static final int USAGE = 64;

  /** EX_DATAERR: the input was wrong (a virtual host that does not exist, bad credentials). */
  public static final int DATA_ERROR = 65;

  /** EX_NOUSER: the user named does not exist. */
  public static final int NO_USER = 67;

  /** EX_UNAVAILABLE: the node cannot be reached, or refused the operation. */
  public static final int UNAVAILABLE = 69;

  /** EX_SOFTWARE: an internal error (rabbitmqctl: adding a user that exists). */
  public static final int SOFTWARE = 70;

  /** EX_TEMPFAIL: the operation timed out. */
  public static final int TEMP_FAIL = 75;

  private ExitCode() {}
}
