package dev.warren.management.spi;

/**
 * Message counts since an object (a channel, a virtual host) came to be, RabbitMQ's {@code
 * message_stats} fields; the API turns two readings into a rate. Each count only grows.
 *
 * @param publish messages published by clients
 * @param confirm publisher confirms sent (basic.ack to the publisher)
 * @param returnUnroutable mandatory messages returned as unroutable
 * @param dropUnroutable messages dropped as unroutable
 * @param deliver deliveries to consumers that must ack
 * @param deliverNoAck deliveries to no-ack consumers
 * @param get basic.get answered with a message, to be acked
 * @param getNoAck basic.get answered with a message, no-ack
 * @param getEmpty basic.get answered get-empty
 * @param redeliver deliveries and gets flagged redelivered
 * @param ack acks received from clients
 */
public record MessageCounters(
    long publish,
    long confirm,
    long returnUnroutable,
    long dropUnroutable,
    long deliver,
    long deliverNoAck,
    long get,
    long getNoAck,
    long getEmpty,
    long redeliver,
    long ack) {

  public static final MessageCounters ZERO = new MessageCounters(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  /** RabbitMQ's {@code deliver_get}: every message handed out. */
  public long deliverGet() {
    return deliver + deliverNoAck + get + getNoAck;
  }

  public MessageCounters plus(MessageCounters o) {
    return new MessageCounters(
        publish + o.publish,
        confirm + o.confirm,
        returnUnroutable + o.returnUnroutable,
        dropUnroutable + o.dropUnroutable,
        deliver + o.deliver,
        deliverNoAck + o.deliverNoAck,
        get + o.get,
        getNoAck + o.getNoAck,
        getEmpty + o.getEmpty,
        redeliver + o.redeliver,
        ack + o.ack);
  }
}
