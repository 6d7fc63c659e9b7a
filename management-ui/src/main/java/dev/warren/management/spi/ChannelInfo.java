package dev.warren.management.spi;

/**
 * An open channel; a snapshot its owner publishes.
 *
 * @param name unique on the node, RabbitMQ's form: the connection's name and the channel number in
 *     parentheses, {@code "127.0.0.1:45332 -> 127.0.0.1:5672 (1)"}
 * @param state {@code running}, {@code flow}, {@code starting}, {@code closing}
 * @param idleSinceMillis epoch milliseconds since the channel last did anything, 0 when busy
 * @param counters the channel's message counts since it opened
 */
public record ChannelInfo(
    String name,
    String connectionName,
    String peerHost,
    int peerPort,
    int number,
    String vhost,
    String user,
    String state,
    int prefetchCount,
    int globalPrefetchCount,
    int consumerCount,
    int messagesUnacknowledged,
    int messagesUnconfirmed,
    int messagesUncommitted,
    int acksUncommitted,
    boolean confirm,
    boolean transactional,
    long idleSinceMillis,
    MessageCounters counters) {}
