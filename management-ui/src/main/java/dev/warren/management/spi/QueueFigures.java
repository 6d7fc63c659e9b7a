package dev.warren.management.spi;

/**
 * A queue's depths and counts, as its owner last published them (the broker's {@code QueueStats}
 * maps onto this field for field). Counts only grow.
 *
 * @param ready messages ready for delivery
 * @param unacked messages delivered and not yet acked
 * @param readyBytes body bytes of the ready messages
 * @param unackedBytes body bytes of the unacked messages
 * @param persistent persistent messages held (ready and unacked)
 * @param consumers consumers attached
 * @param published messages enqueued
 * @param delivered deliveries to consumers that ack
 * @param deliveredNoAck deliveries to no-ack consumers
 * @param gets basic.get answered with a message, to be acked
 * @param getsNoAck basic.get answered with a message, no-ack
 * @param redelivered deliveries and gets flagged redelivered
 * @param acked acks applied
 * @param idleSinceMillis epoch milliseconds since the queue last did anything, 0 when busy
 */
public record QueueFigures(
    long ready,
    long unacked,
    long readyBytes,
    long unackedBytes,
    long persistent,
    int consumers,
    long published,
    long delivered,
    long deliveredNoAck,
    long gets,
    long getsNoAck,
    long redelivered,
    long acked,
    long idleSinceMillis) {

  public static final QueueFigures EMPTY =
      new QueueFigures(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  /** Both added field by field; the idle time is dropped (0): a sum has none. */
  public QueueFigures plus(QueueFigures o) {
    return new QueueFigures(
        ready + o.ready,
        unacked + o.unacked,
        readyBytes + o.readyBytes,
        unackedBytes + o.unackedBytes,
        persistent + o.persistent,
        consumers + o.consumers,
        published + o.published,
        delivered + o.delivered,
        deliveredNoAck + o.deliveredNoAck,
        gets + o.gets,
        getsNoAck + o.getsNoAck,
        redelivered + o.redelivered,
        acked + o.acked,
        0);
  }

  public long messages() {
    return ready + unacked;
  }

  public long messageBytes() {
    return readyBytes + unackedBytes;
  }

  /** Messages handed out: deliveries and gets, acked or not (RabbitMQ's {@code deliver_get}). */
  public long deliverGet() {
    return delivered + deliveredNoAck + gets + getsNoAck;
  }
}
