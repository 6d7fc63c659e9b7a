package dev.warren.broker.amqp;

import dev.warren.broker.stats.ChannelStats;
import dev.warren.broker.stats.ConnectionInfo;
import dev.warren.broker.stats.MessageStats;

/**
 * A channel's figures: its message counts (RabbitMQ's channel {@code message_stats}), kept with
 * plain increments by the channel's owner, and the {@link ChannelStats} last published for other
 * threads. The channel marks itself {@link #changed} as it works (a command, a delivery, a
 * confirm); its connection publishes a new snapshot of each changed channel once per batch of work
 * ({@link ConnectionFigures#publish}), so an idle channel costs nothing and a busy one one snapshot
 * per batch.
 *
 * <p>Thread: the connection's event loop, except {@link #stats}, which any thread reads.
 */
final class ChannelFigures {
  long publish;
  long confirm;
  long returnUnroutable;
  long dropUnroutable;
  long getEmpty;
  long ack;
  long reject;
  long routed;
  long publishWithConfirm;
  private long deliver;
  private long deliverNoAck;
  private long get;
  private long getNoAck;
  private long redeliver;

  private final AmqpChannel channel;

  /**
   * While the channel is changed in this batch: the channel changed before it in its connection's
   * list ({@link ConnectionFigures#changed}), or this channel itself for the end of the list; null
   * while unchanged.
   */
  private ChannelFigures nextChanged;

  private volatile ChannelStats stats;

  /** Made once the rest of {@code channel} is: the first snapshot reads it. */
  ChannelFigures(AmqpChannel channel) {
    this.channel = channel;
    this.stats = snapshot();
  }

  /** The channel's figures as last published. Any thread. */
  ChannelStats stats() {
    return stats;
  }

  /** Something of the channel changed: a new snapshot is published at the end of the batch. */
  void changed() {
    if (nextChanged == null) {
      ChannelFigures before = channel.connection().figures().changed(this);
      nextChanged = before == null ? this : before;
    }
  }

  /** A basic.deliver went out. */
  void delivered(boolean noAck, boolean redelivered) {
    if (noAck) {
      deliverNoAck++;
    } else {
      deliver++;
    }
    if (redelivered) {
      redeliver++;
    }
    changed();
  }

  /** A basic.get-ok went out. */
  void got(boolean noAck, boolean redelivered) {
    if (noAck) {
      getNoAck++;
    } else {
      get++;
    }
    if (redelivered) {
      redeliver++;
    }
    changed();
  }

  /**
   * Publishes a new snapshot; by the connection, at the end of a batch in which the channel
   * changed. Returns the next changed channel, or null.
   */
  ChannelFigures publish() {
    ChannelFigures next = nextChanged == this ? null : nextChanged;
    nextChanged = null;
    stats = snapshot();
    return next;
  }

  /** The message counts now (not as last published). */
  MessageStats counts() {
    MessageStats was = stats == null ? MessageStats.ZERO : stats.messages();
    if (was.publish() == publish
        && was.confirm() == confirm
        && was.returnUnroutable() == returnUnroutable
        && was.dropUnroutable() == dropUnroutable
        && was.deliver() == deliver
        && was.deliverNoAck() == deliverNoAck
        && was.get() == get
        && was.getNoAck() == getNoAck
        && was.getEmpty() == getEmpty
        && was.ack() == ack
        && was.redeliver() == redeliver
        && was.reject() == reject
        && was.routed() == routed
        && was.publishWithConfirm() == publishWithConfirm) {
      return was; // unchanged since the last snapshot (an idle channel: all zero)
    }
    return new MessageStats(
        publish,
        confirm,
        returnUnroutable,
        dropUnroutable,
        deliver,
        deliverNoAck,
        get,
        getNoAck,
        getEmpty,
        ack,
        redeliver,
        reject,
        routed,
        publishWithConfirm);
  }

  private ChannelStats snapshot() {
    ConnectionInfo info = channel.connection().figures().info();
    ConsumerMethods consumers = channel.consumers();
    Publisher publisher = channel.publisher();
    return new ChannelStats(
        info.name(),
        channel.number(),
        info.user(),
        info.vhost(),
        channel.isOpen() ? ChannelStats.State.RUNNING : ChannelStats.State.CLOSING,
        consumers.count(),
        consumers.views(),
        channel.acks().unackedCount(),
        publisher.unconfirmed(),
        consumers.prefetch(),
        consumers.globalPrefetch(),
        publisher.confirming(),
        publisher.transactional(),
        publisher.uncommitted(),
        channel.acks().uncommitted(),
        counts());
  }
}
