package dev.warren.broker.amqp;

import dev.warren.amqp.ChannelException;
import dev.warren.amqp.ConnectionException;
import dev.warren.amqp.ReplyCode;
import dev.warren.amqp.method.BasicAck;
import dev.warren.amqp.method.BasicNack;
import dev.warren.amqp.method.BasicRecover;
import dev.warren.amqp.method.BasicRecoverAsync;
import dev.warren.amqp.method.BasicRecoverOk;
import dev.warren.amqp.method.BasicReject;
import dev.warren.amqp.method.Method;
import dev.warren.queue.Credit;
import dev.warren.queue.Delivery;
import dev.warren.queue.MessageQueue;
import io.netty.util.collection.LongObjectHashMap;
import java.util.ArrayList;
import java.util.List;

/**
 * Delivery tags and what settles them: basic.ack, nack, reject, recover. Tags grow by one per
 * delivery on the channel; unacknowledged ones are kept by tag until settled. A settlement must
 * name an unacknowledged tag (with multiple too, which also takes every unacknowledged tag below
 * it), or 0 with multiple (everything); anything else is 406, as in RabbitMQ. Settling goes back to
 * each message's queue in batches, and gives the prefetch credit back. In a transaction a settled
 * tag leaves the unacknowledged ones at once (a second ack of it is 406, basic.recover does not
 * give it back) but reaches its queue only at tx.commit; tx.rollback makes it unacknowledged again.
 * Thread: the channel's.
 */
final class Acks {
  /**
   * One delivery awaiting its ack; {@code consumer} is null for basic.get. {@code deadline}
   * (milliseconds, monotonic) is when the consumer timeout closes the channel.
   */
  private record Unacked(
      long tag,
      MessageQueue queue,
      long id,
      ChannelConsumer consumer,
      long deadline,
      long timeout) {}

  private final AmqpChannel channel;
  private final LongObjectHashMap<Unacked> unacked = new LongObjectHashMap<>();
  private long lastTag;

  /** The consumer timeout all unacked deliveries share, or -1 when they differ. */
  private long commonTimeout = -1;

  /** No unacked tag is below this; multiple-acks scan from here. */
  private long lowest = 1;

  /** Settlements deferred by a transaction, in order; null when not transactional. */
  private List<Deferred> transaction;

  /** Deliveries settled in the open transaction, and how. */
  private record Deferred(List<Unacked> settled, Outcome outcome) {}

  Acks(AmqpChannel channel) {
    this.channel = channel;
  }

  /** A delivery tag for a delivery that needs no ack. */
  long nextTag() {
    return ++lastTag;
  }

  /** Gives the next delivery tag, remembering the delivery unless it needs no ack. */
  long track(Delivery delivery, ChannelConsumer consumer, boolean noAck) {
    long tag = ++lastTag;
    if (!noAck) {
      long timeout = delivery.queue().settings().consumerTimeoutMillis();
      if (timeout < 0) {
        timeout = channel.connection().config().consumerTimeoutMillis();
      }
      if (unacked.isEmpty()) {
        commonTimeout = timeout;
      } else if (commonTimeout != timeout) {
        commonTimeout = -1;
      }
      unacked.put(
          tag,
          new Unacked(tag, delivery.queue(), delivery.id(), consumer, now() + timeout, timeout));
    }
    return tag;
  }

  private static long now() {
    return System.nanoTime() / 1_000_000;
  }

  /**
   * The consumer timeout: a channel whose oldest unacked delivery is past its deadline is closed
   * with 406, as RabbitMQ does. With one timeout for every unacked delivery (the usual case) the
   * lowest tag is the oldest, so the check costs one lookup; mixed timeouts scan.
   */
  void checkTimeout() {
    if (unacked.isEmpty()) {
      return;
    }
    long now = now();
    Unacked late = null;
    if (commonTimeout >= 0) {
      advanceLowest();
      Unacked oldest = unacked.get(lowest);
      if (oldest != null && oldest.deadline() <= now) {
        late = oldest;
      }
    } else {
      for (Unacked u : unacked.values()) {
        if (u.deadline() <= now && (late == null || u.deadline() < late.deadline())) {
          late = u;
        }
      }
    }
    if (late != null) {
      throw new ChannelException(
          ReplyCode.PRECONDITION_FAILED,
          "delivery acknowledgement on channel "
              + channel.number()
              + " timed out. Timeout value used: "
              + late.timeout()
              + " ms. This timeout value can be configured, see consumers doc guide to learn"
              + " more",
          0,
          0);
    }
  }

  void beginTransaction() {
    if (transaction == null) {
      transaction = new ArrayList<>();
    }
  }

  void commit() {
    List<Deferred> pending = transaction;
    transaction = new ArrayList<>();
    for (Deferred d : pending) {
      apply(d.settled(), d.outcome());
    }
  }

  /** The transaction's settlements are forgotten: their deliveries are unacknowledged again. */
  void rollback() {
    for (Deferred d : transaction) {
      for (Unacked u : d.settled()) {
        unacked.put(u.tag(), u);
        lowest = Math.min(lowest, u.tag());
      }
    }
    transaction.clear();
  }

  /** Handles an acknowledgement method; false if {@code m} is not one. */
  boolean handle(Method m) {
    if (m instanceof BasicAck a) {
      settle(a.deliveryTag(), a.multiple(), Outcome.ACK, m);
    } else if (m instanceof BasicNack n) {
      settle(n.deliveryTag(), n.multiple(), n.requeue() ? Outcome.REQUEUE : Outcome.DROP, m);
    } else if (m instanceof BasicReject r) {
      settle(r.deliveryTag(), false, r.requeue() ? Outcome.REQUEUE : Outcome.DROP, m);
    } else if (m instanceof BasicRecover r) {
      recover(r.requeue(), m);
      channel.send(new BasicRecoverOk());
    } else if (m instanceof BasicRecoverAsync r) {
      recover(r.requeue(), m);
    } else {
      return false;
    }
    return true;
  }

  private enum Outcome {
    ACK,
    REQUEUE,
    DROP
  }

  private void settle(long tag, boolean multiple, Outcome outcome, Method m) {
    boolean everything = multiple && tag == 0;
    if (!everything && !unacked.containsKey(tag)) {
      throw new ChannelException(
          ReplyCode.PRECONDITION_FAILED, "unknown delivery tag " + tag, m.classId(), m.methodId());
    }
    List<Unacked> settled = new ArrayList<>();
    if (!multiple) {
      settled.add(unacked.remove(tag));
    } else {
      long upTo = everything ? lastTag : tag;
      for (long t = lowest; t <= upTo; t++) {
        Unacked u = unacked.remove(t);
        if (u != null) {
          settled.add(u);
        }
      }
    }
    advanceLowest();
    if (transaction != null) {
      transaction.add(new Deferred(settled, outcome));
    } else {
      apply(settled, outcome);
    }
  }

  /** Sends settlements taken out of the unacknowledged ones to their queues. */
  private void apply(List<Unacked> settled, Outcome outcome) {
    sendToQueues(settled, outcome);
    releaseCredit(settled);
  }

  private void advanceLowest() {
    while (lowest <= lastTag && !unacked.containsKey(lowest)) {
      lowest++;
    }
  }

  /** Consecutive deliveries from one queue go back in one command. */
  private static void sendToQueues(List<Unacked> settled, Outcome outcome) {
    int i = 0;
    while (i < settled.size()) {
      MessageQueue queue = settled.get(i).queue();
      int j = i;
      while (j < settled.size() && settled.get(j).queue() == queue) {
        j++;
      }
      long[] ids = new long[j - i];
      for (int k = i; k < j; k++) {
        ids[k - i] = settled.get(k).id();
      }
      if (outcome == Outcome.ACK) {
        queue.ack(ids, ids.length);
      } else {
        queue.reject(ids, ids.length, outcome == Outcome.REQUEUE);
      }
      i = j;
    }
  }

  private void releaseCredit(List<Unacked> settled) {
    boolean channelWindowWasFull = false;
    for (Unacked u : settled) {
      if (u.consumer() == null) {
        continue;
      }
      Credit credit = u.consumer().credit();
      if (credit != null && credit.release(1)) {
        u.consumer().queue().resume();
      }
      channelWindowWasFull |= channel.consumers().channelCredit().release(1);
    }
    if (channelWindowWasFull) {
      channel.consumers().resumeAll();
    }
  }

  /**
   * basic.recover: every unacked delivery goes back to its queue, to be redelivered with the
   * redelivered flag; those settled in the open transaction are no longer unacked and stay with it.
   * RabbitMQ implements only requeue=true.
   */
  private void recover(boolean requeue, Method m) {
    if (!requeue) {
      throw new ConnectionException(
          ReplyCode.NOT_IMPLEMENTED, "requeue=false", m.classId(), m.methodId());
    }
    requeueUnacked();
  }

  /**
   * The channel closes: every delivery not settled returns to its queue, those settled in an
   * uncommitted transaction too.
   */
  void requeueAll() {
    if (transaction != null) {
      rollback();
    }
    requeueUnacked();
  }

  private void requeueUnacked() {
    List<Unacked> all = new ArrayList<>(unacked.values());
    all.sort((a, b) -> Long.compare(a.tag(), b.tag()));
    unacked.clear();
    lowest = lastTag + 1;
    apply(all, Outcome.REQUEUE);
  }
}
