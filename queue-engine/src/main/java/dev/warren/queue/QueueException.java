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
    DELETED
  }

  private final Reason reason;

  public QueueException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
