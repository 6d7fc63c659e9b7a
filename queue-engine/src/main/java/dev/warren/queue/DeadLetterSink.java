package dev.warren.queue;

/**
 * Where a queue sends the messages it dead-letters (the broker republishes them to the queue's
 * dead-letter exchange with an {@code x-death} header). Called on the queue's thread, only for
 * queues with a dead-letter exchange; takes ownership of one reference to {@code message}.
 */
@FunctionalInterface
public interface DeadLetterSink {
  /**
   * @param stored settled exactly once, on any thread, when the dead letter is as safe as a
   *     confirmed publish in every queue it reached (at once when it reached none): the source
   *     queue forgets a stored message only then
   */
  void deadLetter(MessageQueue from, Message message, Reason reason, Confirmation stored);

  /** Why a message was dead-lettered, with RabbitMQ's name for it in {@code x-death}. */
  enum Reason {
    REJECTED("rejected"),
    EXPIRED("expired"),
    MAXLEN("maxlen"),
    DELIVERY_LIMIT("delivery_limit");

    private final String wireName;

    Reason(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }
}
