package dev.warren.broker.stats;

/**
 * Message counts of a channel, or summed over channels (a virtual host, the broker), named and
 * counted as RabbitMQ's channel {@code message_stats}. Immutable. Each counts from the channel's
 * opening; sums include the channels closed since the broker started.
 *
 * @param publish basic.publish routed (in a transaction: at tx.commit), routable or not
 * @param confirm publishes confirmed with basic.ack (not those nacked)
 * @param returnUnroutable mandatory publishes that reached no queue, sent back with basic.return
 * @param dropUnroutable publishes without mandatory that reached no queue, dropped
 * @param deliver basic.deliver to consumers that must ack
 * @param deliverNoAck basic.deliver to no-ack consumers
 * @param get basic.get-ok that must be acked
 * @param getNoAck basic.get-ok with no-ack
 * @param getEmpty basic.get answered with basic.get-empty
 * @param ack deliveries acknowledged (one per message, multiple=true included; in a transaction: at
 *     tx.commit)
 * @param redeliver deliveries and get-oks with redelivered=true (also counted in the four above)
 * @param reject deliveries settled with basic.reject or basic.nack, requeued or not (not a figure
 *     of RabbitMQ's management API: it has no such count)
 * @param routed queue copies the publishes made: one per queue a publish reached (RabbitMQ's global
 *     {@code messages_routed}; not a figure of its management API)
 * @param publishWithConfirm publishes on a channel in confirm mode, counted as {@code publish} is
 *     (RabbitMQ's global {@code messages_received_confirm})
 */
public record MessageStats(
    long publish,
    long confirm,
    long returnUnroutable,
    long dropUnroutable,
    long deliver,
    long deliverNoAck,
    long get,
    long getNoAck,
    long getEmpty,
    long ack,
    long redeliver,
    long reject,
    long routed,
    long publishWithConfirm) {

  public static final MessageStats ZERO =
      new MessageStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  /** Messages handed out, RabbitMQ's {@code deliver_get}: deliveries and get-oks, ack or not. */
  public long deliverGet() {
    return deliver + deliverNoAck + get + getNoAck;
  }
}
