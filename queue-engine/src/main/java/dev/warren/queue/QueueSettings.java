package dev.warren.queue;

/**
 * How a queue behaves beyond plain FIFO: RabbitMQ's queue features. Built by the broker from the
 * declaration's {@code x-} arguments (and, later, from policies, which produce the same record).
 * Immutable; a value of -1 (or null) means "not set".
 *
 * @param messageTtlMillis {@code x-message-ttl}: ready messages older than this expire
 * @param expiresMillis {@code x-expires}: the queue is deleted after this long unused
 * @param maxLength {@code x-max-length}: most ready messages
 * @param maxLengthBytes {@code x-max-length-bytes}: most ready body bytes
 * @param overflow {@code x-overflow}: what happens past a length limit
 * @param deadLetterExchange {@code x-dead-letter-exchange}, or null
 * @param deadLetterRoutingKey {@code x-dead-letter-routing-key}, or null to keep the original
 * @param maxPriority {@code x-max-priority} (1-255), or 0 for a queue without priorities
 * @param singleActiveConsumer {@code x-single-active-consumer}
 * @param deliveryLimit {@code x-delivery-limit}: deliveries after which a returned message is
 *     dead-lettered (or dropped) instead of requeued
 * @param consumerTimeoutMillis {@code x-consumer-timeout}, or -1 for the broker's default
 */
public record QueueSettings(
    long messageTtlMillis,
    long expiresMillis,
    long maxLength,
    long maxLengthBytes,
    Overflow overflow,
    String deadLetterExchange,
    String deadLetterRoutingKey,
    int maxPriority,
    boolean singleActiveConsumer,
    long deliveryLimit,
    long consumerTimeoutMillis) {

  /** {@code x-overflow}. */
  public enum Overflow {
    /** Drop (or dead-letter, reason maxlen) the oldest ready messages. RabbitMQ's default. */
    DROP_HEAD,
    /** Refuse the new message: basic.nack to a confirming publisher. */
    REJECT_PUBLISH,
    /** Refuse the new message and dead-letter it (reason maxlen). */
    REJECT_PUBLISH_DLX
  }

  /** A plain FIFO queue: nothing set. */
  public static final QueueSettings DEFAULT =
      new QueueSettings(-1, -1, -1, -1, Overflow.DROP_HEAD, null, null, 0, false, -1, -1);

  /**
   * These settings as a live queue that has {@code now} takes them: priorities and single active
   * consumer stay as they were made.
   */
  QueueSettings keepingFixedOf(QueueSettings now) {
    return new QueueSettings(
        messageTtlMillis,
        expiresMillis,
        maxLength,
        maxLengthBytes,
        overflow,
        deadLetterExchange,
        deadLetterRoutingKey,
        now.maxPriority,
        now.singleActiveConsumer,
        deliveryLimit,
        consumerTimeoutMillis);
  }

  public boolean deadLettering() {
    return deadLetterExchange != null;
  }
}
