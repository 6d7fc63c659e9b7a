package dev.warren.management.spi;

/**
 * The node's message counts since it started, over every channel that ever was (closed ones
 * included): RabbitMQ's global counters ({@code rabbitmq_global_*} in Prometheus). Unlike sums over
 * open channels, they never go back. Each only grows.
 *
 * @param received messages published by clients
 * @param receivedConfirm of those, published on channels in confirm mode
 * @param routed queue copies made: one per queue each message reached
 * @param unroutableDropped messages published without mandatory that reached no queue
 * @param unroutableReturned mandatory messages that reached no queue, returned with basic.return
 * @param confirmed messages confirmed to publishers with basic.ack
 * @param deliveredConsumeManualAck basic.deliver to consumers that must ack
 * @param deliveredConsumeAutoAck basic.deliver to no-ack consumers
 * @param deliveredGetManualAck basic.get-ok that must be acked
 * @param deliveredGetAutoAck basic.get-ok with no-ack
 * @param getEmpty basic.get answered with basic.get-empty
 * @param redelivered deliveries and get-oks flagged redelivered (also counted above)
 * @param acknowledged messages acknowledged by clients
 */
public record GlobalCounters(
    long received,
    long receivedConfirm,
    long routed,
    long unroutableDropped,
    long unroutableReturned,
    long confirmed,
    long deliveredConsumeManualAck,
    long deliveredConsumeAutoAck,
    long deliveredGetManualAck,
    long deliveredGetAutoAck,
    long getEmpty,
    long redelivered,
    long acknowledged) {

  /** Every message handed to a client: deliveries and get-oks, acked or not. */
  public long delivered() {
    return deliveredConsumeManualAck
        + deliveredConsumeAutoAck
        + deliveredGetManualAck
        + deliveredGetAutoAck;
  }
}
