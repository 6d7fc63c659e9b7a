package dev.warren.broker.stats;

/**
 * The broker's or a virtual host's figures, as RabbitMQ's {@code /api/overview} and {@code
 * /api/vhosts} report them: object counts, queue totals and message counts. Made by summing the
 * snapshots owners published, never by asking an owner. Immutable.
 *
 * @param connections what {@link ConnectionTotals} says of connections, channels, octets and
 *     messages
 * @param queues queues
 * @param exchanges exchanges (the default exchange and {@code amq.*} included)
 * @param consumers consumers of those queues
 * @param messagesReady messages ready in those queues ({@code messages_ready})
 * @param messagesUnacknowledged messages delivered and not yet acked ({@code
 *     messages_unacknowledged})
 */
public record Totals(
    ConnectionTotals connections,
    int queues,
    int exchanges,
    int consumers,
    long messagesReady,
    long messagesUnacknowledged) {

  /** Ready and unacknowledged messages ({@code messages}). */
  public long messages() {
    return messagesReady + messagesUnacknowledged;
  }
}
