package dev.warren.broker.stats;

/**
 * The figures of connections and channels summed over a virtual host (or the broker), from their
 * published snapshots and the final counts of those closed since the broker started. Immutable.
 *
 * @param connections open connections (those past connection.open)
 * @param channels their open channels
 * @param recvOct octets received by the connections, closed ones included ({@code recv_oct})
 * @param sendOct octets sent by them, closed ones included ({@code send_oct})
 * @param messages the channels' message counts, closed channels included ({@code message_stats})
 */
public record ConnectionTotals(
    int connections, int channels, long recvOct, long sendOct, MessageStats messages) {}
