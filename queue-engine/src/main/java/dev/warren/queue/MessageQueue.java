package dev.warren.queue;

import dev.warren.queue.QueueException.Reason;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One queue. Its state is owned by a single thread at a time: every public method may be called
 * from any thread and only posts a command to the queue's {@link Mailbox}; results come back as
 * futures completed on the queue's thread, or through the {@link QueueConsumer} and {@link
 * Confirmation} callbacks, also on the queue's thread.
 *
 * <p>Messages are identified by an id that grows with publish order. {@link QueueMessages} keeps
 * them, ready (in {@link ReadyMessages}, one lane per priority) or unacked (keyed by id, so a
 * requeue puts them back where they were), and applies message TTL ({@link MessageExpiry}, one
 * timer), length limits, delivery limits and dead-lettering. This class keeps the commands, the
 * consumers ({@link ConsumerSet}, or {@link SingleActiveConsumer}), exclusivity, deletion and the
 * {@code x-expires} {@link Lease} (one timer). Timers only post commands to the mailbox.
 *
 * <p>A durable queue is given a journal ({@link QueueServices#journal()}): it recovers the messages
 * stored there when constructed (blocking, at start-up) and stores its persistent messages in it.
 *
 * <p>Buffers: the queue holds one reference to each message it keeps, ready or unacked; a delivery
 * carries a reference of its own (for no-ack, the queue's own one).
 */
public final class MessageQueue {
  /** Publishes waiting in the mailbox above which publishers are asked to pause. */
  private static final int BACKLOG_HIGH = 4096;

  /** Told when the queue deletes itself (auto-delete, x-expires); called on the queue's thread. */
  @FunctionalInterface
  public interface DeletionListener {
    void deleted(MessageQueue queue);
  }

  private final QueueDefinition definition;
  private final QueueSettings settings;
  private final Object exclusiveOwner;
  private final Mailbox mailbox;
  private final DeletionListener listener;
  private final ConcurrentLinkedQueue<Runnable> drainWaiters = new ConcurrentLinkedQueue<>();

  // Owner-thread state.
  private final QueueMessages messages;
  private final ConsumerSelection consumers;
  private final Lease lease;
  private QueueConsumer exclusiveConsumer;
  private boolean hadConsumer;
  private boolean stopping;
  private volatile boolean deleted;

  // Published by the owner thread for readers elsewhere (management, declare counts are exact).
  private volatile int readyCount;
  private volatile int consumerCount;

  /**
   * @param settings the queue's features (TTL, limits, dead-lettering, ...)
   * @param exclusiveOwner the connection an exclusive queue belongs to, or null
   */
  public MessageQueue(
      QueueDefinition definition,
      QueueSettings settings,
      Object exclusiveOwner,
      QueueServices services) {
    this.definition = definition;
    this.settings = settings;
    this.exclusiveOwner = exclusiveOwner;
    this.listener = services.deletion();
    this.mailbox = new Mailbox(services.executor(), services.owner(), this::afterBatch);
    this.messages = new QueueMessages(this, services, mailbox, this::publishCounts, this::pagedIn);
    this.consumers =
        settings.singleActiveConsumer() ? new SingleActiveConsumer() : new ConsumerSet();
    this.lease =
        settings.expiresMillis() > 0
            ? new Lease(settings.expiresMillis(), services.scheduler(), mailbox, this::expire)
            : null;
    if (services.journal() != null) {
      messages.recover();
      publishCounts();
    }
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

  /**
   * The broker is stopping: from now on the queue never deletes itself (auto-delete when its
   * consumers' connections close, x-expires), so that it is still there after the restart, as
   * stored. Call before closing connections.
   */
  public void stop() {
    mailbox.execute(() -> stopping = true);
  }

  /**
   * Releases every message held in memory, after marking in the journal those delivered (they come
   * back redelivered at the next start, with everything else it stored). Only once the queue's
   * thread has ended: the broker has stopped, its journal not yet.
   */
  public void releaseMemory() {
    messages.releaseMemory();
  }

  /** Enqueues a message; takes ownership of one reference. {@code confirm} may be null. */
  public void publish(Message message, Confirmation confirm) {
    mailbox.execute(() -> enqueue(message, confirm));
  }

  /**
   * True when publishes pile up faster than the queue takes them, or faster than its journal writes
   * them, or its consumers need the publishers to wait ({@link Pacing}); the publisher should stop
   * reading its socket and call {@link #whenDrained} to be woken.
   */
  public boolean overloaded() {
    return messages.holdsPublishers() || mailbox.hasBacklog(BACKLOG_HIGH);
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
  public void consume(QueueConsumer consumer, boolean exclusive, CompletableFuture<Void> done) {
    mailbox.execute(() -> addConsumer(consumer, exclusive, done));
  }

  /** Removes a consumer (basic.cancel, channel closed). Unacked deliveries stay unacked. */
  public void cancel(QueueConsumer consumer) {
    mailbox.execute(() -> removeConsumer(consumer));
  }

  /** A consumer that refused a reservation can take deliveries again. */
  public void resume() {
    mailbox.execute(this::dispatch);
  }

  /** Acknowledges the first {@code count} ids. */
  public void ack(long[] ids, int count) {
    mailbox.execute(() -> messages.acknowledge(ids, count));
  }

  /**
   * Rejects the first {@code count} ids. Requeued ones go back to their original place, unless they
   * are past their delivery limit or deadline; the others are dead-lettered (or dropped).
   */
  public void reject(long[] ids, int count, boolean requeue) {
    mailbox.execute(
        () -> {
          messages.reject(ids, count, requeue && !deleted, consumers);
          publishCounts();
        });
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
          messages.get(noAck, done);
          publishCounts();
        });
    return done;
  }

  public CompletableFuture<QueueCounts> counts() {
    CompletableFuture<QueueCounts> done = new CompletableFuture<>();
    mailbox.execute(
        () -> {
          messages.expireDue();
          publishCounts();
          done.complete(new QueueCounts(readyCount, consumerCount));
        });
    return done;
  }

  /** Drops every ready message; completes with how many. */
  public CompletableFuture<Integer> purge() {
    CompletableFuture<Integer> done = new CompletableFuture<>();
    mailbox.execute(
        () -> {
          done.complete(messages.purge());
          publishCounts();
        });
    return done;
  }

  /**
   * Deletes the queue unless a condition forbids it (then fails with {@link QueueException});
   * completes with the number of ready messages dropped. Consumers are told they were
   * cancelled.
   */
  public CompletableFuture<Integer> delete(boolean ifUnused, boolean ifEmpty) {
    CompletableFuture<Integer> done = new CompletableFuture<>();
    mailbox.execute(
        () -> {
          if (ifUnused && consumers.size() > 0) {
            done.completeExceptionally(
                new QueueException(Reason.IN_USE, "queue '" + name() + "' in use"));
          } else if (ifEmpty && expiredAndCounted() > 0) {
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
      if (confirm != null) {
        confirm.settle(true);
      }
    } else {
      messages.enqueue(message, consumers, confirm);
      publishCounts();
    }
  }

  private void addConsumer(
      QueueConsumer consumer, boolean exclusive, CompletableFuture<Void> done) {
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
  }

  private void removeConsumer(QueueConsumer consumer) {
    if (!consumers.remove(consumer)) {
      return;
    }
    if (exclusiveConsumer == consumer) {
      exclusiveConsumer = null;
    }
    if (consumers.size() > 0) {
      dispatch();
      return;
    }
    publishCounts();
    if (definition.autoDelete() && hadConsumer && !deleted && !stopping) {
      destroy();
      listener.deleted(this);
    } else if (lease != null && !deleted) {
      lease.release();
    }
  }

  private void dispatch() {
    messages.dispatch(consumers);
    publishCounts();
  }

  /** Paged-out messages were read back: waiting basic.gets first, then consumers. */
  private void pagedIn() {
    messages.servePendingGets();
    dispatch();
  }

  /** x-expires: the lease ran out. */
  private void expire() {
    if (!deleted && !stopping) {
      destroy();
      listener.deleted(this);
    }
  }

  /** A use that renews the x-expires lease. */
  private void used() {
    if (lease != null && !deleted) {
      lease.renew();
    }
  }

  private int destroy() {
    deleted = true;
    if (lease != null) {
      lease.cancel();
    }
    int dropped = messages.close();
    for (QueueConsumer consumer : consumers.all()) {
      consumers.remove(consumer);
      consumer.cancelledByQueue(this);
    }
    exclusiveConsumer = null;
    publishCounts();
    return dropped;
  }

  private int expiredAndCounted() {
    messages.expireDue();
    return messages.readyCount();
  }

  /** Entries examined by message expiry so far (for tests of its cost). */
  long expiryWork() {
    return messages.expiryWork();
  }

  /** Entries visited by compactions of expired entries so far (for tests of its cost). */
  long expiryCompactionWork() {
    return messages.expiryCompactionWork();
  }

  private void publishCounts() {
    readyCount = messages.readyCount();
    consumerCount = consumers.size();
  }

  private void afterBatch() {
    messages.afterBatch(consumers.size() > 0);
    if (!drainWaiters.isEmpty()
        && !messages.holdsPublishers()
        && !mailbox.hasBacklog(BACKLOG_HIGH / 4)) {
      Runnable wake;
      while ((wake = drainWaiters.poll()) != null) {
        wake.run();
      }
    }
  }
}
