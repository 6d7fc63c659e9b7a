package dev.warren.broker.amqp;

import dev.warren.amqp.method.BasicAck;
import dev.warren.amqp.method.BasicNack;
import dev.warren.queue.Confirmation;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Publisher confirms of one channel (confirm.select). Each publish gets the next sequence number
 * and a {@link Pending} that every target queue settles on its own thread; confirms go out in
 * sequence order, runs of acks coalesced into one basic.ack with multiple=true. Thread: the
 * channel's, except {@link Pending#settle}.
 */
final class ConfirmTracker {
  private final AmqpChannel channel;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final Runnable drain = this::drain;
  private long nextSeq = 1;

  ConfirmTracker(AmqpChannel channel) {
    this.channel = channel;
  }

  /** One publish awaiting its confirm; settled once by each of {@code targets} queues. */
  final class Pending implements Confirmation {
    private final long seq;
    private final AtomicInteger remaining;
    private volatile boolean refused;
    private volatile boolean done;

    private Pending(long seq, int targets) {
      this.seq = seq;
      this.remaining = new AtomicInteger(targets);
    }

    @Override
    public void settle(boolean accepted) {
      if (!accepted) {
        refused = true;
      }
      if (remaining.decrementAndGet() == 0) {
        done = true;
        if (drainScheduled.compareAndSet(false, true)) {
          channel.connection().outbox().execute(drain);
        }
      }
    }
  }

  /** Registers the next publish; with 0 targets it is confirmed at once. */
  Pending register(int targets) {
    Pending p = new Pending(nextSeq++, Math.max(targets, 1));
    pending.addLast(p);
    if (targets == 0) {
      p.settle(true);
    }
    return p;
  }

  private void drain() {
    drainScheduled.set(false);
    if (!channel.isOpen()) {
      return;
    }
    long ackUpTo = 0;
    int acks = 0;
    int confirmed = 0;
    Pending head;
    while ((head = pending.peekFirst()) != null && head.done) {
      pending.pollFirst();
      if (head.refused) {
        ackUpTo = flushAcks(ackUpTo, acks);
        acks = 0;
        channel.send(new BasicNack(head.seq, false, false));
      } else {
        ackUpTo = head.seq;
        acks++;
        confirmed++;
      }
    }
    flushAcks(ackUpTo, acks);
    channel.figures().confirm += confirmed;
    channel.figures().changed();
  }

  /** Publishes not yet confirmed (RabbitMQ's messages_unconfirmed). */
  int unconfirmed() {
    return pending.size();
  }

  private long flushAcks(long upTo, int count) {
    if (count > 0) {
      channel.send(new BasicAck(upTo, count > 1));
    }
    return 0;
  }
}
