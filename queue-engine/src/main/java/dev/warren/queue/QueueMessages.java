package dev.warren.queue;

import io.netty.util.collection.LongObjectHashMap;

/**
 * The messages of one queue, ready and unacked, and every rule about how they leave: delivery, ack,
 * requeue to the original place, message TTL, length limits, delivery limits and dead-lettering.
 * {@link Queue} owns it and calls it from its commands; consumers are passed in.
 *
 * <p>Owner: the queue's thread (the expiry timer hops into the queue's mailbox). Buffers: holds one
 * reference to each message it keeps, ready or unacked; a delivery carries one of its own (for
 * no-ack, the queue's own); dead-lettering hands the queue's reference to the {@link
 * DeadLetterSink}, every other way out releases it.
 */
final class QueueMessages {
  private final Queue queue;
  private final QueueSettings settings;
  private final DeadLetterSink deadLetters;
  private final Runnable countsChanged;
  private final ReadyMessages ready;
  private final LongObjectHashMap<Entry> unacked = new LongObjectHashMap<>();
  private final LengthLimits limits;
  private final MessageExpiry expiry;
  private long nextId;
  private boolean closed;

  /**
   * @param countsChanged run after the expiry timer changed the ready count
   */
  QueueMessages(Queue queue, QueueServices services, Mailbox mailbox, Runnable countsChanged) {
    this.queue = queue;
    this.settings = queue.settings();
    this.deadLetters = services.deadLetters();
    this.countsChanged = countsChanged;
    this.ready = new ReadyMessages(Math.max(0, settings.maxPriority()));
    this.limits = new LengthLimits(settings);
    this.expiry =
        new MessageExpiry(
            settings.messageTtlMillis(), ready, services.scheduler(), mailbox, this::onTimer);
  }

  int readyCount() {
    return ready.size();
  }

  /**
   * Takes a published message (and its reference); returns false when a reject-publish limit
   * refused it. Accepted messages go to a consumer, wait, or expire at once (TTL 0).
   */
  boolean enqueue(Message message, Consumers consumers) {
    if (limits.bounded() && expiry.active()) {
      expireDue();
    }
    if (limits.refuses(ready, message)) {
      discard(message, DeadLetterSink.Reason.MAXLEN, limits.deadLettersRefused());
      return false;
    }
    Entry entry = new Entry(nextId++, message, priorityOf(message), expiry.deadline(message));
    if (entry.deadline != Entry.NO_DEADLINE && entry.expiredAt(expiry.now())) {
      deliverOrExpire(entry, consumers);
    } else {
      ready.add(entry);
      expiry.ready(entry);
      dispatch(consumers);
      dropHeadWhileOver();
    }
    return true;
  }

  /** Offers ready messages to consumers until one side runs out. */
  void dispatch(Consumers consumers) {
    while (consumers.size() > 0) {
      Entry head = nextDeliverable();
      if (head == null) {
        break;
      }
      Consumer consumer = consumers.reserveNext();
      if (consumer == null) {
        break;
      }
      consumer.deliver(take(ready.poll(), consumer.noAck()));
    }
  }

  /** basic.get: the next ready message, or null. */
  Delivery get(boolean noAck) {
    return nextDeliverable() == null ? null : take(ready.poll(), noAck);
  }

  void acknowledge(long[] ids, int count) {
    for (int i = 0; i < count; i++) {
      Entry entry = unacked.remove(ids[i]);
      if (entry != null) {
        entry.state = Entry.State.DEAD;
        entry.takeMessage().release();
      }
    }
  }

  /**
   * basic.reject/nack, and deliveries returned by a closed channel or basic.recover. Requeued
   * messages go back to their place unless past their delivery limit or deadline.
   */
  void reject(long[] ids, int count, boolean requeue, Consumers consumers) {
    boolean requeued = false;
    for (int i = 0; i < count; i++) {
      Entry entry = unacked.remove(ids[i]);
      if (entry == null) {
        continue;
      }
      if (!requeue) {
        discard(entry, DeadLetterSink.Reason.REJECTED);
      } else if (settings.deliveryLimit() >= 0 && entry.deliveryCount > settings.deliveryLimit()) {
        discard(entry, DeadLetterSink.Reason.DELIVERY_LIMIT);
      } else if (entry.deadline != Entry.NO_DEADLINE && entry.expiredAt(expiry.now())) {
        discard(entry, DeadLetterSink.Reason.EXPIRED);
      } else {
        ready.requeue(entry);
        expiry.ready(entry);
        requeued = true;
      }
    }
    if (requeued) {
      dispatch(consumers);
      dropHeadWhileOver();
    }
  }

  /** Drops every ready message (after expiring the due ones); returns how many. */
  int purge() {
    expireDue();
    expiry.clear();
    return ready.purge();
  }

  /** The queue is deleted: drops everything, ready and unacked; returns how many were ready. */
  int close() {
    closed = true;
    expiry.cancel();
    expiry.clear();
    int dropped = ready.purge();
    for (Entry entry : unacked.values()) {
      entry.state = Entry.State.DEAD;
      entry.takeMessage().release();
    }
    unacked.clear();
    return dropped;
  }

  /** Entries examined by message expiry so far (for tests of its cost). */
  long expiryWork() {
    return expiry.work();
  }

  /** Entries visited by compactions of expired entries so far (for tests of its cost). */
  long expiryCompactionWork() {
    return expiry.compactionWork();
  }

  private int priorityOf(Message message) {
    int max = settings.maxPriority();
    return max <= 0 ? 0 : Math.max(0, Math.min(message.priority(), max));
  }

  /** The next ready entry, after expiring any due one in its way; it stays ready. */
  private Entry nextDeliverable() {
    Entry head;
    while ((head = ready.peek()) != null
        && head.deadline != Entry.NO_DEADLINE
        && head.expiredAt(expiry.now())) {
      ready.remove(head);
      expiry.left(head);
      discard(head, DeadLetterSink.Reason.EXPIRED);
    }
    return head;
  }

  /** Turns a ready entry into a delivery; unless no-ack, the queue keeps it until settled. */
  private Delivery take(Entry entry, boolean noAck) {
    expiry.left(entry);
    Message message = entry.message;
    int before = entry.deliveryCount++;
    if (noAck) {
      entry.state = Entry.State.DEAD;
      entry.message = null;
    } else {
      entry.state = Entry.State.OUT;
      unacked.put(entry.id, entry);
      message.retain();
    }
    return new Delivery(queue, entry.id, message, entry.redelivered, ready.size(), before);
  }

  /**
   * A TTL of 0: the message goes to a consumer that can take it now, behind nothing older, or
   * expires without ever being ready.
   */
  private void deliverOrExpire(Entry entry, Consumers consumers) {
    dispatch(consumers);
    Consumer consumer = ready.isEmpty() ? consumers.reserveNext() : null;
    if (consumer != null) {
      consumer.deliver(take(entry, consumer.noAck()));
    } else {
      discard(entry, DeadLetterSink.Reason.EXPIRED);
    }
  }

  /** Expires every ready entry whose deadline has passed (even if the timer is late). */
  void expireDue() {
    if (!expiry.active()) {
      return;
    }
    long now = expiry.now();
    Entry due;
    while ((due = expiry.pollDue(now)) != null) {
      discard(due, DeadLetterSink.Reason.EXPIRED);
    }
  }

  private void onTimer() {
    if (closed) {
      return;
    }
    expireDue();
    expiry.rearm();
    countsChanged.run();
  }

  /** x-overflow drop-head: the oldest ready messages go while a length limit is exceeded. */
  private void dropHeadWhileOver() {
    while (limits.exceeded(ready)) {
      Entry head = ready.poll();
      expiry.left(head);
      discard(head, DeadLetterSink.Reason.MAXLEN);
    }
  }

  private void discard(Entry entry, DeadLetterSink.Reason reason) {
    entry.state = Entry.State.DEAD;
    discard(entry.takeMessage(), reason, true);
  }

  /**
   * Dead-letters {@code message} when the queue has a dead-letter exchange and {@code deadLetter},
   * else releases it. Takes ownership of the reference.
   */
  private void discard(Message message, DeadLetterSink.Reason reason, boolean deadLetter) {
    if (deadLetter && settings.deadLettering()) {
      deadLetters.deadLetter(queue, message, reason);
    } else {
      message.release();
    }
  }
}
