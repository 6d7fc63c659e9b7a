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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Delivery tags and what settles them: basic.ack, nack, reject, recover. Tags grow by one per
 * delivery on the channel; unacknowledged ones are kept by tag until settled, compactly ({@link
 * UnackedTags}: the queue's message id and an index into the channel's few {@link Owner}s). A
 * settlement must name an unacknowledged tag (with multiple too, which also takes every
 * unacknowledged tag below it), or 0 with multiple (everything); anything else is 406, as in
 * RabbitMQ. Settling goes back to each message's queue in batches, and gives the prefetch credit
 * back. In a transaction a settled tag leaves the unacknowledged ones at once (a second ack of it
 * is 406, basic.recover does not give it back) but reaches its queue only at tx.commit, whose
 * answer waits until the queues' logs have applied its acks; tx.rollback makes it unacknowledged
 * again. Thread: the channel's.
 */
final class Acks {
  /**
   * Who a delivery came through: its queue, the consumer (null for basic.get), and the consumer
   * timeout that applies to it. Many deliveries share one; it goes once none refers to it.
   */
  private record Owner(MessageQueue queue, ChannelConsumer consumer, long timeout) {}

  /** Settlements taken out of the unacknowledged tags, on their way to their queues. */
  private static final class Settled {
    long[] tags = new long[8];
    long[] ids = new long[8];
    int[] owners = new int[8];
    int[] deliveredAt = new int[8];
    int size;

    void add(long tag, long id, int owner, int at) {
      if (size == tags.length) {
        int n = size * 2;
        tags = Arrays.copyOf(tags, n);
        ids = Arrays.copyOf(ids, n);
        owners = Arrays.copyOf(owners, n);
        deliveredAt = Arrays.copyOf(deliveredAt, n);
      }
      tags[size] = tag;
      ids[size] = id;
      owners[size] = owner;
      deliveredAt[size] = at;
      size++;
    }
  }

  private final AmqpChannel channel;
  private final UnackedTags unacked = new UnackedTags();
  private final List<Owner> owners = new ArrayList<>();
  private final List<Integer> freeOwners = new ArrayList<>();
  private final Map<Object, Integer> ownerIndex = new HashMap<>();
  private int[] ownerRefs = new int[4];
  private final long openedAt = now();
  private long lastTag;

  /** The consumer timeout all unacked deliveries share, or -1 when they differ. */
  private long commonTimeout = -1;

  /** Settlements deferred by a transaction, in order; null when not transactional. */
  private List<Deferred> transaction;

  /** Deliveries settled in the open transaction. */
  private int uncommitted;

  /** Deliveries settled in the open transaction, and how. */
  private record Deferred(Settled settled, Outcome outcome) {}

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
      int owner = owner(delivery.queue(), consumer, timeout);
      unacked.add(tag, delivery.id(), owner, (int) (now() - openedAt));
    }
    return tag;
  }

  /** The index of the owner of a new delivery (the same one for its consumer, or get queue). */
  private int owner(MessageQueue queue, ChannelConsumer consumer, long timeout) {
    Object key = consumer != null ? consumer : queue;
    Integer known = ownerIndex.get(key);
    if (known != null && owners.get(known).timeout() == timeout) {
      ownerRefs[known]++;
      return known;
    }
    Owner owner = new Owner(queue, consumer, timeout);
    int index;
    if (!freeOwners.isEmpty()) {
      index = freeOwners.remove(freeOwners.size() - 1);
      owners.set(index, owner);
    } else {
      index = owners.size();
      owners.add(owner);
      if (index == ownerRefs.length) {
        ownerRefs = Arrays.copyOf(ownerRefs, index * 2);
      }
    }
    ownerRefs[index] = 1;
    ownerIndex.put(key, index);
    return index;
  }

  /** A delivery of {@code index} reached its queue: the owner goes once none is left. */
  private void released(int index) {
    if (--ownerRefs[index] == 0) {
      Owner owner = owners.get(index);
      Object key = owner.consumer() != null ? owner.consumer() : owner.queue();
      ownerIndex.remove(key, index);
      owners.set(index, null);
      freeOwners.add(index);
    }
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
    long now = now() - openedAt;
    long late = -1;
    long lateDeadline = Long.MAX_VALUE;
    long[] candidates = commonTimeout >= 0 ? new long[] {unacked.lowest()} : unacked.all();
    for (long tag : candidates) {
      long deadline = unacked.deliveredAt(tag) + owners.get(unacked.owner(tag)).timeout();
      if (deadline <= now && deadline < lateDeadline) {
        late = tag;
        lateDeadline = deadline;
      }
    }
    if (late >= 0) {
      throw new ChannelException(
          ReplyCode.PRECONDITION_FAILED,
          "delivery acknowledgement on channel "
              + channel.number()
              + " timed out. Timeout value used: "
              + owners.get(unacked.owner(late)).timeout()
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

  /**
   * tx.commit: the transaction's settlements go to their queues. Completes once the logs of the
   * queues have applied every ack of it (at once for queues that keep messages in memory); fails if
   * a log refused one.
   */
  CompletableFuture<Void> commit() {
    List<Deferred> pending = transaction;
    transaction = new ArrayList<>();
    List<CompletableFuture<Void>> applied = new ArrayList<>();
    for (Deferred d : pending) {
      apply(d.settled(), d.outcome(), applied);
      count(d.outcome(), d.settled().size);
    }
    uncommitted = 0;
    return CompletableFuture.allOf(applied.toArray(CompletableFuture[]::new));
  }

  /** The transaction's settlements are forgotten: their deliveries are unacknowledged again. */
  void rollback() {
    for (Deferred d : transaction) {
      Settled s = d.settled();
      for (int i = 0; i < s.size; i++) {
        unacked.restore(s.tags[i], s.ids[i], s.owners[i], s.deliveredAt[i]);
      }
    }
    transaction.clear();
    uncommitted = 0;
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
    if (!everything && !unacked.contains(tag)) {
      throw new ChannelException(
          ReplyCode.PRECONDITION_FAILED, "unknown delivery tag " + tag, m.classId(), m.methodId());
    }
    Settled settled = new Settled();
    if (!multiple) {
      take(tag, settled);
    } else {
      for (long t : unacked.tags(Long.MIN_VALUE, everything ? lastTag : tag)) {
        take(t, settled);
      }
    }
    if (transaction != null) {
      transaction.add(new Deferred(settled, outcome));
      uncommitted += settled.size;
    } else {
      apply(settled, outcome, null);
      count(outcome, settled.size);
    }
  }

  /** The channel's figures count what the client settled: acks, and rejects and nacks. */
  private void count(Outcome outcome, int deliveries) {
    if (outcome == Outcome.ACK) {
      channel.figures().ack += deliveries;
    } else {
      channel.figures().reject += deliveries;
    }
  }

  private void take(long tag, Settled settled) {
    settled.add(tag, unacked.id(tag), unacked.owner(tag), unacked.deliveredAt(tag));
    unacked.remove(tag);
  }

  /**
   * Sends settlements to their queues, consecutive deliveries of one queue in one command, and
   * gives the prefetch credit back; the futures of acks go to {@code applied} when it is not null.
   */
  private void apply(Settled settled, Outcome outcome, List<CompletableFuture<Void>> applied) {
    int i = 0;
    while (i < settled.size) {
      MessageQueue queue = owners.get(settled.owners[i]).queue();
      int j = i;
      while (j < settled.size && owners.get(settled.owners[j]).queue() == queue) {
        j++;
      }
      long[] ids = Arrays.copyOfRange(settled.ids, i, j);
      if (outcome == Outcome.ACK) {
        if (applied != null) {
          applied.add(queue.ack(ids, ids.length));
        } else {
          queue.ackUnawaited(ids, ids.length);
        }
      } else {
        queue.reject(ids, ids.length, outcome == Outcome.REQUEUE);
      }
      i = j;
    }
    releaseCredit(settled);
  }

  private void releaseCredit(Settled settled) {
    boolean channelWindowWasFull = false;
    for (int i = 0; i < settled.size; i++) {
      int index = settled.owners[i];
      ChannelConsumer consumer = owners.get(index).consumer();
      released(index);
      if (consumer == null) {
        continue;
      }
      Credit credit = consumer.credit();
      if (credit != null && credit.release(1)) {
        consumer.queue().resume();
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
    Settled all = new Settled();
    for (long tag : unacked.all()) {
      take(tag, all);
    }
    apply(all, Outcome.REQUEUE, null);
  }

  /** Unacked deliveries held now. */
  int unackedCount() {
    return unacked.size();
  }

  /** Deliveries settled in the open transaction (RabbitMQ's acks_uncommitted). */
  int uncommitted() {
    return uncommitted;
  }
}
