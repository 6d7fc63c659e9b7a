package dev.warren.mirroring;

/** A membership change refused or failed: nothing was changed unless {@link Reason#FAILED}. */
public final class MembershipException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why. */
  public enum Reason {
    /** The node named is not one of the cluster's nodes. */
    NOT_A_MEMBER,
    /** The node named answers: only a stopped node is removed. */
    RUNNING,
    /** Without the node, the running nodes would not be a majority (or none would be left). */
    NO_MAJORITY,
    /** Ratis did not commit a configuration in time; some groups may be changed already. */
    FAILED
  }

  private final Reason reason;

  public MembershipException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public MembershipException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
