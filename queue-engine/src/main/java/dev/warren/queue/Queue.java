package dev.warren.queue;

import dev.warren.queue.QueueException.Reason;
import io.netty.util.collection.LongObjectHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One queue. Its state is owned by a single thread at a time: every public method may be called
 * from any thread and only posts a command to the queue's {@link Mailbox}; results come back as
 * futures completed on the queue's thread, or through the {@link Consumer} and {@link Confirmation}
 * callbacks, also on the queue's thread.
 *
 * <p>Messages are identified by an id that grows with publish order. Ready messages wait in {@link
 * ReadyMessages} (one lane per priority); delivered ones wait for their ack in {@code unacked},
 * keyed by id, so a requeue puts them back where they were. The features of {@link QueueSettings}
 * live in small helpers: {@link MessageExpiry} (message TTL, one timer), {@link Lease} ({@code
 * x-expires}, one timer), {@link LengthLimits}, and {@link SingleActiveConsumer}. Timers only post
 * commands to the mailbox. Messages that leave other than by ack or delete go to the {@link
 * DeadLetterSink} when the queue has a dead-letter exchange, and are released otherwise.
 *
 * <p>Buffers: the queue holds one reference to each message it keeps, ready or unacked; a delivery
 * carries a reference of its own (for no-ack, the queue's own one).
 */
public final class Queue {
  /** Publishes waiting in the mailbox above which publishers are asked to pause. */
  private static final int BACKLOG_HIGH = 4096;

  /** Told when the queue deletes itself (auto-delete); called on the queue's thread. */
  @FunctionalInterface
  public interface DeletionListener {
    void deleted(Queue queue);
  }

  private final QueueDefinition definition;
  private final QueueSettings settings;
  private final QueueServices services;
  private final Object exclusiveOwner;
  private final Mailbox mailbox;
  private final DeletionListener listener;
  private final ConcurrentLinkedQueue<Runnable> drainWaiters = new ConcurrentLinkedQueue<>();

  // Owner-thread state.
  private final ReadyMessages ready;
  private final LongObjectHashMap<Entry> unacked = new LongObjectHashMap<>();
  private final Consumers consumers;
  private final LengthLimits limits;
  private final MessageExpiry expiry;
  private final Lease lease;
  private Consumer exclusiveConsumer;
  private long nextId;
  private boolean hadConsumer;
  private volatile boolean deleted;

  // Published by the owner thread for readers elsewhere (management, declare counts are exact).
  private volatile int readyCount;
  private volatile int consumerCount;

  /**
   * @param settings the queue's features (TTL, limits, dead-lettering, ...)
   * @param exclusiveOwner the connection an exclusive queue belongs to, or null
   */
  public Queue(
      QueueDefinition definition,
      QueueSettings settings,
      Object exclusiveOwner,
      QueueServices services) {
    this.definition = definition;
    this.settings = settings;
    this.exclusiveOwner = exclusiveOwner;
    this.services = services;
    this.listener = services.deletion();
    this.mailbox = new Mailbox(services.executor(), services.owner(), this::afterBatch);
    this.ready = new ReadyMessages(Math.max(0, settings.maxPriority()));
    this.consumers =
        settings.singleActiveConsumer() ? new SingleActiveConsumer() : new ConsumerSet();
    this.limits = new LengthLimits(settings);
    this.expiry =
        new MessageExpiry(
            settings.messageTtlMillis(), ready, services.scheduler(), mailbox, this::onExpiryTimer);
    this.lease =
        settings.expiresMillis() > 0
            ? new Lease(settings.expiresMillis(), services.scheduler(), mailbox, this::expire)
            : null;
    if (lease != null) {
      mailbox.execute(this::used);
    }
  }

  public QueueSettings settings() {
    return settings;
  }

  /** Any use that renews an {@code x-expires} lease and is not otherwise a command (redeclare). */
  public void touch() {
    mailbox.execute(this::used);
  }

  public QueueDefinition definition() {
    return definition;
  }

  public String name() {
    return definition.name();
  }

  public Object exclusiveOwner() {
    return exclusiveOwner;
  }

  /** True once the queue is deleted; a declaration of the same name then makes a new queue. */
  public boolean isDeleted() {
    return deleted;
  }

  /** Ready messages, as last published by the queue's thread. */
  public int readyCount() {
    return readyCount;
  }

  public int consumerCount() {
    return consumerCount;
  }

  /** Enqueues a message; takes ownership of one reference. {@code confirm} may be null. */
  public void publish(Message message, Confirmation confirm) {
    mailbox.execute(() -> enqueue(message, confirm));
  }

  /**
   * True when publishes pile up faster than the queue takes them; the publisher should stop reading
   * its socket and call {@link #whenDrained} to be woken.
   */
  public boolean overloaded() {
    return mailbox.hasBacklog(BACKLOG_HIGH);
  }

  /** Runs {@code wake} (on the queue's thread) once the backlog is worked off. */
  public void whenDrained(Runnable wake) {
    drainWaiters.add(wake);
    mailbox.execute(() -> {});
  }

  /**
   * Adds a consumer. {@code done} completes on the queue's thread before the first delivery to it,
   * so a consume-ok sent from its callbacks precedes every delivery; it fails with {@link
   * QueueException} when an exclusive consumer is in the way.
   */
  public void consume(Consumer consumer, boolean exclusive, CompletableFuture<Void> done) {
    mailbox.execute(() -> addConsumer(consumer, exclusive, done));
  }

  /** Removes a consumer (basic.cancel, channel closed). Unacked deliveries stay unacked. */
  public void cancel(Consumer consumer) {
    mailbox.execute(() -> removeConsumer(consumer));
  }

  /** A consumer that refused a reservation can take deliveries again. */
  public void resume() {
    mailbox.execute(this::dispatch);
  }

  /** Acknowledges the first {@code count} ids. */
  public void ack(long[] ids, int count) {
    mailbox.execute(() -> acknowledge(ids, count));
  }

  /**
   * Rejects the first {@code count} ids. Requeued ones go back to their original place, unless they
   * are past their delivery limit or deadline; the others are dead-lettered (or dropped).
   */
  public void reject(long[] ids, int count, boolean requeue) {
    mailbox.execute(() -> settle(ids, count, requeue));
  }

  /** basic.get: the next ready message, or null when there is none. */
  public CompletableFuture<Delivery> get(boolean noAck) {
    CompletableFuture<Delivery> done = new CompletableFuture<>();
    mailbox.execute(
        () -> {
          if (deleted) {
            done.complete(null);
            return;
          }
          used();
          done.complete(nextDeliverable() == null ? null : take(ready.poll(), noAck));
          publishCounts();
        });
    return done;
  }

  public CompletableFuture<QueueCounts> counts() {
    CompletableFuture<QueueCounts> done = new CompletableFuture<>();
    mailbox.execute(
        () -> {
          expireDue();
          publishCounts();
          done.complete(new QueueCounts(ready.size(), consumers.size()));
        });
    return done;
  }

  /** Drops every ready message; completes with how many. */
  public CompletableFuture<Integer> purge() {
    CompletableFuture<Integer> done = new CompletableFuture<>();
    mailbox.execute(
        () -> {
          expireDue();
          expiry.clear();
          done.complete(ready.purge());
          publishCounts();
        });
    return done;
  }

  /**
   * Deletes the queue unless a condition forbids it (then fails with {@link QueueException});
   * completes with the number of ready messages dropped. Consumers are told they were cancelled.
   */
  public CompletableFuture<Integer> delete(boolean ifUnused, boolean ifEmpty) {
    CompletableFuture<Integer> done = new CompletableFuture<>();
    mailbox.execute(
        () -> {
          if (ifUnused && consumers.size() > 0) {
            done.completeExceptionally(
                new QueueException(Reason.IN_USE, "queue '" + name() + "' in use"));
          } else if (ifEmpty && !emptyAfterExpiry()) {
            done.completeExceptionally(
                new QueueException(Reason.NOT_EMPTY, "queue '" + name() + "' not empty"));
          } else {
            done.complete(destroy());
          }
        });
    return done;
  }

  private void enqueue(Message message, Confirmation confirm) {
    if (deleted) {
      message.release();
      settle(confirm, true);
      return;
    }
    if (limits.bounded() && expiry.active()) {
      expireDue();
    }
    if (limits.refuses(ready, message)) {
      discard(message, DeadLetterSink.Reason.MAXLEN, limits.deadLettersRefused());
      settle(confirm, false);
      return;
    }
    Entry entry = new Entry(nextId++, message, priorityOf(message), expiry.deadline(message));
    if (entry.deadline != Entry.NO_DEADLINE && entry.expiredAt(expiry.now())) {
      deliverOrExpire(entry);
    } else {
      ready.add(entry);
      expiry.ready(entry);
      dispatch();
      dropHeadWhileOver();
    }
    publishCounts();
    settle(confirm, true);
  }

  private static void settle(Confirmation confirm, boolean accepted) {
    if (confirm != null) {
      confirm.settle(accepted);
    }
  }

  private int priorityOf(Message message) {
    int max = settings.maxPriority();
    return max <= 0 ? 0 : Math.max(0, Math.min(message.priority(), max));
  }

  private void addConsumer(Consumer consumer, boolean exclusive, CompletableFuture<Void> done) {
    if (deleted) {
      done.completeExceptionally(new QueueException(Reason.DELETED, "queue deleted"));
      return;
    }
    if (exclusiveConsumer != null || (exclusive && consumers.size() > 0)) {
      done.completeExceptionally(
          new QueueException(Reason.EXCLUSIVE_CONSUMER, "queue '" + name() + "' in exclusive use"));
      return;
    }
    consumers.add(consumer);
    if (exclusive) {
      exclusiveConsumer = consumer;
    }
    hadConsumer = true;
    if (lease != null) {
      lease.hold();
    }
    done.complete(null);
    dispatch();
    publishCounts();
  }

  private void removeConsumer(Consumer consumer) {
    if (!consumers.remove(consumer)) {
      return;
    }
    if (exclusiveConsumer == consumer) {
      exclusiveConsumer = null;
    }
    publishCounts();
    if (consumers.size() > 0) {
      dispatch();
      return;
    }
    if (definition.autoDelete() && hadConsumer && !deleted) {
      destroy();
      listener.deleted(this);
    } else if (lease != null && !deleted) {
      lease.release();
    }
  }

  private void acknowledge(long[] ids, int count) {
    for (int i = 0; i < count; i++) {
      Entry entry = unacked.remove(ids[i]);
      if (entry != null) {
        entry.state = Entry.State.DEAD;
        entry.takeMessage().release();
      }
    }
  }

  private void settle(long[] ids, int count, boolean requeue) {
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
      dispatch();
      dropHeadWhileOver();
      publishCounts();
    }
  }

  private void dispatch() {
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
    publishCounts();
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
    if (entry == null) {
      return null;
    }
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
    return new Delivery(this, entry.id, message, entry.redelivered, ready.size(), before);
  }

  /**
   * A TTL of 0: the message goes to a consumer that can take it now, behind nothing older, or
   * expires without ever being ready.
   */
  private void deliverOrExpire(Entry entry) {
    dispatch();
    Consumer consumer = ready.isEmpty() ? consumers.reserveNext() : null;
    if (consumer != null) {
      consumer.deliver(take(entry, consumer.noAck()));
    } else {
      discard(entry, DeadLetterSink.Reason.EXPIRED);
    }
  }

  /** Expires every ready entry whose deadline has passed. */
  private void expireDue() {
    if (!expiry.active()) {
      return;
    }
    long now = expiry.now();
    Entry due;
    while ((due = expiry.pollDue(now)) != null) {
      discard(due, DeadLetterSink.Reason.EXPIRED);
    }
  }

  private void onExpiryTimer() {
    if (deleted) {
      return;
    }
    expireDue();
    expiry.rearm();
    publishCounts();
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
      services.deadLetters().deadLetter(this, message, reason);
    } else {
      message.release();
    }
  }

  /** x-expires: the lease ran out. */
  private void expire() {
    if (!deleted) {
      destroy();
      listener.deleted(this);
    }
  }

  private void used() {
    if (lease != null && !deleted) {
      lease.renew();
    }
  }

  private int destroy() {
    deleted = true;
    expiry.cancel();
    expiry.clear();
    if (lease != null) {
      lease.cancel();
    }
    int dropped = ready.purge();
    for (Entry entry : unacked.values()) {
      entry.state = Entry.State.DEAD;
      entry.takeMessage().release();
    }
    unacked.clear();
    for (Consumer consumer : consumers.all()) {
      consumers.remove(consumer);
      consumer.cancelledByQueue(this);
    }
    exclusiveConsumer = null;
    publishCounts();
    return dropped;
  }

  private boolean emptyAfterExpiry() {
    expireDue();
    return ready.isEmpty();
  }

  /** Entries examined by message expiry so far (for tests of its cost). */
  long expiryWork() {
    return expiry.work();
  }

  /** Entries visited by compactions of expired entries so far (for tests of its cost). */
  long expiryCompactionWork() {
    return expiry.compactionWork();
  }

  private void publishCounts() {
    readyCount = ready.size();
    consumerCount = consumers.size();
  }

  private void afterBatch() {
    if (!drainWaiters.isEmpty() && !mailbox.hasBacklog(BACKLOG_HIGH / 4)) {
      Runnable wake;
      while ((wake = drainWaiters.poll()) != null) {
        wake.run();
      }
    }
  }
}
