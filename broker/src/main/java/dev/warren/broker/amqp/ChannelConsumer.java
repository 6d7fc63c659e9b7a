package dev.warren.broker.amqp;

import dev.warren.broker.stats.ConsumerView;
import dev.warren.queue.Credit;
import dev.warren.queue.Delivery;
import dev.warren.queue.MessageQueue;
import dev.warren.queue.QueueConsumer;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A basic.consume subscription as its queue sees it. The queue calls {@link #tryReserve} and {@link
 * #deliver} on its own thread; delivery frames are then written on the connection's event loop
 * through its outbox. Reserving checks, in order: memory (a consumer that must ack and has no
 * prefetch limit gets nothing while memory is short: see {@link ResourceAlarm}), the consumer's
 * prefetch window, the channel's global window (which a no-ack consumer only needs to have room:
 * its deliveries take none of it), and the connection's outbound backlog.
 */
final class ChannelConsumer implements QueueConsumer, ConsumerView {
  private final AmqpChannel channel;
  private final MessageQueue queue;
  private final String tag;
  private final boolean noAck;
  private final boolean exclusive;
  private final int prefetch;
  private final Map<String, Object> arguments;
  private final int priority;
  private final Credit credit;
  private final Credit channelCredit;
  private final AtomicBoolean stalled = new AtomicBoolean();
  private final AtomicBoolean heldForMemory = new AtomicBoolean();
  private volatile boolean stopped;
  private volatile Activity activity = Activity.UP;

  /**
   * The last {@link #tryReserve} failed for the connection alone. Kept apart from {@link #stalled},
   * which a drain may clear before the queue has asked the next consumer. Queue's thread.
   */
  private boolean refusedByConnection;

  ChannelConsumer(
      AmqpChannel channel,
      MessageQueue queue,
      String tag,
      boolean noAck,
      boolean exclusive,
      Map<String, Object> arguments,
      int priority,
      int prefetch,
      Credit channelCredit) {
    this.channel = channel;
    this.queue = queue;
    this.tag = tag;
    this.noAck = noAck;
    this.exclusive = exclusive;
    this.prefetch = prefetch;
    this.arguments = arguments == null ? Map.of() : Map.copyOf(arguments);
    this.priority = priority;
    this.credit = new Credit(prefetch);
    this.channelCredit = channelCredit;
  }

  MessageQueue queue() {
    return queue;
  }

  /** The consumer's own prefetch window; null for no-ack consumers, which have none. */
  Credit credit() {
    return noAck ? null : credit;
  }

  @Override
  public String tag() {
    return tag;
  }

  @Override
  public String vhost() {
    return channel.vhost().name();
  }

  @Override
  public String queueName() {
    return queue.name();
  }

  @Override
  public boolean ackRequired() {
    return !noAck;
  }

  @Override
  public boolean exclusive() {
    return exclusive;
  }

  @Override
  public int prefetch() {
    return prefetch;
  }

  @Override
  public Map<String, Object> arguments() {
    return arguments;
  }

  @Override
  public Activity activity() {
    return activity;
  }

  @Override
  public void singleActive(boolean active) {
    activity = active ? Activity.SINGLE_ACTIVE : Activity.WAITING;
  }

  @Override
  public boolean noAck() {
    return noAck;
  }

  @Override
  public int priority() {
    return priority;
  }

  /**
   * The channel is closing: take nothing more, so that what it gives back reaches the next consumer
   * first (RabbitMQ's single-active-consumer hand-over).
   */
  void stop() {
    stopped = true;
  }

  @Override
  public boolean tryReserve() {
    refusedByConnection = false;
    if (stopped) {
      return false;
    }
    if (growsHeapUnbounded() && channel.connection().memoryShort()) {
      if (heldForMemory.compareAndSet(false, true)) {
        channel.connection().whenMemoryClears(this::memoryCleared);
      }
      return false;
    }
    if (noAck) {
      // RabbitMQ 3.x: a full global window holds no-ack deliveries back too, which never count.
      if (!channelCredit.hasRoom()) {
        return false;
      }
    } else {
      if (!credit.tryAcquire()) {
        return false;
      }
      if (!channelCredit.tryAcquire()) {
        credit.release(1);
        return false;
      }
    }
    if (!channel.connection().flow().reserveDelivery(this)) {
      if (!noAck) {
        credit.release(1);
        channelCredit.release(1);
      }
      refusedByConnection = true;
      return false;
    }
    return true;
  }

  /**
   * The queue reserved room and no delivery came (it asked its leader on another node for fewer
   * messages than that): the room comes back, and the queue is told to offer again if this
   * consumer's window had been full meanwhile.
   */
  @Override
  public void unreserve() {
    channel.connection().flow().deliveryDone();
    if (!noAck) {
      boolean wasFull = credit.release(1);
      if (channelCredit.release(1) || wasFull) {
        queue.resume();
      }
    }
  }

  @Override
  public void deliver(Delivery delivery) {
    channel.connection().outbox().execute(() -> channel.consumers().write(this, delivery));
  }

  @Override
  public void cancelledByQueue(MessageQueue from) {
    channel.connection().outbox().execute(() -> channel.consumers().cancelledByQueue(this));
  }

  /**
   * Must ack, and no prefetch window limits it: every delivery to it grows the heap (unacked
   * bookkeeping, and the message kept) until the client acks, however many messages that is.
   */
  private boolean growsHeapUnbounded() {
    return !noAck && credit.unlimited() && channelCredit.unlimited();
  }

  /** Memory is no longer short: the queue may offer again. */
  private void memoryCleared() {
    heldForMemory.set(false);
    queue.resume();
  }

  @Override
  public boolean waitsForConnection() {
    return refusedByConnection;
  }

  /**
   * Every consumer of the connection waits for the same socket and outbox ({@link ConnectionFlow}).
   */
  @Override
  public Object connection() {
    return channel.connection();
  }

  /** Marks the consumer as waiting for the connection to drain; true if it was not already. */
  boolean markStalled() {
    return stalled.compareAndSet(false, true);
  }

  /** The connection drained: let the queue offer again. */
  void unstall() {
    stalled.set(false);
    queue.resume();
  }
}
