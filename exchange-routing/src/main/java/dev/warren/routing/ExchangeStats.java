package dev.warren.routing;

/**
 * An exchange's message counts, as RabbitMQ's management API reports them in an exchange's {@code
 * message_stats}. Immutable; counted since the exchange was declared (or the broker started, for a
 * durable one).
 *
 * @param publishIn messages published into the exchange by clients, routable or not ({@code
 *     publish_in})
 * @param publishOut copies of those messages handed to queues: one per queue a message reached,
 *     through this exchange's bindings or any exchange they led to ({@code publish_out})
 */
public record ExchangeStats(long publishIn, long publishOut) {}
