package dev.warren.broker.stats;

import java.util.List;
import java.util.Locale;

/**
 * One channel's figures as its owner (the connection's event loop) last published them, at the end
 * of a batch of work (a read, a batch of deliveries) in which something of the channel changed.
 * Immutable; any thread may read them without disturbing the channel. Named after the fields of
 * RabbitMQ's management API ({@code /api/channels}).
 *
 * @param connectionName the connection's {@link ConnectionInfo#name}
 * @param number the channel number
 * @param user the connection's user
 * @param vhost the connection's virtual host
 * @param state {@code running}, or {@code closing} once channel.close went either way
 * @param consumers consumers of the channel ({@code consumer_count}; a direct reply-to consumer is
 *     not one, as in RabbitMQ)
 * @param consumerViews those consumers, for {@code /api/consumers}
 * @param unacked deliveries waiting for an ack ({@code messages_unacknowledged})
 * @param unconfirmed publishes not yet confirmed ({@code messages_unconfirmed})
 * @param prefetch basic.qos prefetch-count for new consumers, 0 for none ({@code prefetch_count})
 * @param globalPrefetch basic.qos global prefetch-count, 0 for none ({@code global_prefetch_count})
 * @param confirm whether confirm.select was sent
 * @param transactional whether tx.select was sent
 * @param uncommittedMessages publishes held by the open transaction ({@code messages_uncommitted})
 * @param uncommittedAcks deliveries settled in the open transaction ({@code acks_uncommitted})
 * @param messages the message counts ({@code message_stats})
 */
public record ChannelStats(
    String connectionName,
    int number,
    String user,
    String vhost,
    State state,
    int consumers,
    List<ConsumerView> consumerViews,
    int unacked,
    int unconfirmed,
    int prefetch,
    int globalPrefetch,
    boolean confirm,
    boolean transactional,
    int uncommittedMessages,
    int uncommittedAcks,
    MessageStats messages) {

  /** RabbitMQ's channel name: the connection's, then the number, {@code "... (1)"}. */
  public String name() {
    return connectionName + " (" + number + ")";
  }

  /** A channel's state as RabbitMQ names it ({@link #label()}). */
  public enum State {
    RUNNING,
    CLOSING;

    /** The name in RabbitMQ's management API: {@code running}, {@code closing}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
