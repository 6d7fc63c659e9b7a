package dev.warren.queue;

/** A queue operation refused for a reason the client must hear about. */
public final class QueueException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the queue refused. The broker maps each to a reply code. */
  public enum Reason {
    /** delete if-unused while consumers exist (406). */
    IN_USE,
    /** delete if-empty while messages are ready (406). */
    NOT_EMPTY,
    /** consume against an exclusive consumer, or exclusive consume on a used queue (403). */
    EXCLUSIVE_CONSUMER,
    /** the queue was deleted meanwhile (404). */
    DELETED,
    /** the queue's log is lost for this node: it cannot serve (404, as RabbitMQ's "down"). */
    UNAVAILABLE,
    /**
     * another cluster node leads the queue's log, or none was elected in time: this node cannot
     * serve it (404, as {@link #UNAVAILABLE}).
     */
    NOT_LEADER
  }

  private final Reason reason;

  public QueueException(Reason reason, String message) {
    this(reason, message, null);
  }

  public QueueException(Reason reason, String message, Throwable cause) {
    super(message, cause, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
