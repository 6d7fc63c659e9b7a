package dev.warren.queue;

import dev.warren.queue.QueueException.Reason;
import dev.warren.queue.ReadyMessages.Entry;
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
 * ReadyMessages}; delivered ones wait for their ack in {@code unacked}, keyed by id, so a requeue
 * puts them back where they were.
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
  private final ReadyMessages ready = new ReadyMessages();
  private final LongObjectHashMap<Entry> unacked = new LongObjectHashMap<>();
  private final ConsumerSet consumers = new ConsumerSet();
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
  }

  public QueueSettings settings() {
    return settings;
  }

  /** Any use that renews an {@code x-expires} lease and is not otherwise a command (redeclare). */
  public void touch() {
    mailbox.execute(() -> {});
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
    mailbox.execute(() -> settle(ids, count, false));
  }

  /** Rejects the first {@code count} ids; requeued ones go back to their original place. */
  public void reject(long[] ids, int count, boolean requeue) {
    mailbox.execute(() -> settle(ids, count, requeue));
  }

  /** basic.get: the next ready message, or null when there is none. */
  public CompletableFuture<Delivery> get(boolean noAck) {
    CompletableFuture<Delivery> done = new CompletableFuture<>();
    mailbox.execute(
        () -> {
          done.complete(deleted ? null : take(ready.poll(), noAck));
          publishCounts();
        });
    return done;
  }

  public CompletableFuture<QueueCounts> counts() {
    CompletableFuture<QueueCounts> done = new CompletableFuture<>();
    mailbox.execute(() -> done.complete(new QueueCounts(ready.size(), consumers.size())));
    return done;
  }

  /** Drops every ready message; completes with how many. */
  public CompletableFuture<Integer> purge() {
    CompletableFuture<Integer> done = new CompletableFuture<>();
    mailbox.execute(
        () -> {
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
          } else if (ifEmpty && !ready.isEmpty()) {
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
    } else {
      ready.add(new Entry(nextId++, message, false));
      dispatch();
    }
    if (confirm != null) {
      confirm.settle(true);
    }
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
    if (definition.autoDelete() && hadConsumer && consumers.size() == 0 && !deleted) {
      destroy();
      listener.deleted(this);
    }
  }

  private void settle(long[] ids, int count, boolean requeue) {
    for (int i = 0; i < count; i++) {
      Entry entry = unacked.remove(ids[i]);
      if (entry == null) {
        continue;
      }
      if (requeue && !deleted) {
        ready.requeue(entry);
      } else {
        entry.message().release();
      }
    }
    if (requeue) {
      dispatch();
    }
  }

  private void dispatch() {
    while (!ready.isEmpty()) {
      Consumer consumer = consumers.reserveNext();
      if (consumer == null) {
        break;
      }
      consumer.deliver(take(ready.poll(), consumer.noAck()));
    }
    publishCounts();
  }

  /** Turns a ready entry into a delivery; unless no-ack, the queue keeps it until settled. */
  private Delivery take(Entry entry, boolean noAck) {
    if (entry == null) {
      return null;
    }
    Message message = entry.message();
    if (!noAck) {
      unacked.put(entry.id(), entry);
      message.retain();
    }
    return new Delivery(this, entry.id(), message, entry.redelivered(), ready.size(), 0);
  }

  private int destroy() {
    deleted = true;
    int dropped = ready.purge();
    for (Entry entry : unacked.values()) {
      entry.message().release();
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
