package dev.warren.queue;

import dev.warren.queue.QueueException.Reason;
import dev.warren.queue.QueueStats.State;
import dev.warren.storage.Leadership;
import dev.warren.storage.MessageLog;
import dev.warren.storage.RemoteQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One queue. Its state is owned by a single thread at a time: every public method may be called
 * from any thread and only posts a command to the queue's {@link Mailbox}; results come back as
 * futures completed on the queue's thread, or through the {@link QueueConsumer} and {@link
 * Confirmation} callbacks, also on the queue's thread.
 *
 * <p>Messages are identified by an id that grows with publish order. {@link QueueMessages} keeps
 * them, ready or unacked, and applies message TTL, length limits, delivery limits and
 * dead-lettering; {@link QueueStore} writes them to the queue's stores. This class keeps the
 * commands, the consumers ({@link ConsumerSet}, or {@link SingleActiveConsumer}), exclusivity,
 * deletion, the {@code x-expires} {@link Lease} (one timer), the queue's life and its published
 * figures ({@link #stats}).
 *
 * <p>Life ({@link QueueStats.State}): a queue without a log runs at once. A queue with a log
 * ({@link QueueServices#log()}) waits for {@link #start}: when its node leads the log it rebuilds
 * itself from it ({@link QueueRecovery}), then runs. While another node leads the log, commands go
 * there ({@link Forwarding}); the others wait ({@link CommandGate}). No command waits for ever.
 *
 * <p>Buffers: the queue holds one reference to each message it keeps, ready or unacked; a delivery
 * carries a reference of its own (for no-ack, the queue's own one).
 */
public final class MessageQueue {
  private static final Logger LOG = LoggerFactory.getLogger(MessageQueue.class);

  /** Publishes waiting in the mailbox above which publishers are asked to pause. */
  private static final int BACKLOG_HIGH = 4096;

  /** Told when the queue deletes itself (auto-delete, x-expires); called on the queue's thread. */
  @FunctionalInterface
  public interface DeletionListener {
    void deleted(MessageQueue queue);
  }

  private final QueueDefinition definition;
  private final Object exclusiveOwner;
  private final Mailbox mailbox;
  private final QueueServices services;
  private final ConcurrentLinkedQueue<Runnable> drainWaiters = new ConcurrentLinkedQueue<>();
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private final AtomicBoolean subscribed = new AtomicBoolean();
  private volatile QueueSettings settings;
  private volatile QueueStats stats;
  private volatile boolean deleted;

  // Owner-thread state.
  private final QueueStore store;
  private final ConsumerSelection consumers;
  private final Forwarding forwarding;
  private final CommandGate commands;

  private QueueMessages messages;
  private QueueRecovery recovery;
  private Lease lease;
  private QueueConsumer exclusiveConsumer;
  private boolean hadConsumer;
  private boolean stopping;
  private State state;
  private Throwable lostCause;

  /** What this queue last counted in the memory ledger. */
  private long heapReported;

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
    this.services = services;
    this.mailbox = new Mailbox(services.executor(), services.owner(), this::afterBatch);
    this.store =
        new QueueStore(
            services.log(), services.spill(), services.ledger(), services.scheduler(), mailbox);
    this.messages = newMessages();
    this.consumers =
        settings.singleActiveConsumer()
            ? new SingleActiveConsumer()
            : new ConsumerSet(new RemoteAppetite(services.scheduler(), mailbox, this::dispatch));
    this.forwarding =
        new Forwarding(this, consumers, mailbox, services.scheduler(), services.ledger());
    this.commands =
        new CommandGate(
            definition.name(),
            () -> state,
            forwarding,
            services.scheduler(),
            mailbox,
            services.log() == null ? Long.MAX_VALUE : services.log().leaderWaitMillis());
    this.lease = newLease(settings);
    this.state = services.log() == null ? State.RUNNING : State.RECOVERING;
    this.stats = QueueStats.initial(state);
    this.heapReported = MemoryLedger.QUEUE;
    services.ledger().add(heapReported);
    if (state == State.RUNNING) {
      started.complete(null);
    }
    if (lease != null) {
      mailbox.execute(this::used);
    }
  }

  private QueueMessages newMessages() {
    return new QueueMessages(
        definition.name(),
        settings,
        services.scheduler(),
        mailbox,
        store,
        new QueueMessages.Outlet() {
          @Override
          public Delivery delivery(
              long id, Message message, boolean redelivered, int messageCount, int count) {
            return new Delivery(MessageQueue.this, id, message, redelivered, messageCount, count);
          }

          @Override
          public void deadLetter(
              Message message, DeadLetterSink.Reason reason, Confirmation accepted) {
            services.deadLetters().deadLetter(MessageQueue.this, message, reason, accepted);
          }
        },
        this::publishStats,
        this::pagedIn);
  }

  private Lease newLease(QueueSettings s) {
    return s.expiresMillis() > 0
        ? new Lease(s.expiresMillis(), services.scheduler(), mailbox, this::expire)
        : null;
  }

  /**
   * Starts a queue that has a log: it follows its log's leadership from now on, and rebuilds itself
   * from the log whenever its node becomes the leader. The future completes once it first runs (or
   * fails if its log is lost first); at once for a queue without a log. Later calls only return
   * that future.
   */
  public CompletableFuture<Void> start() {
    MessageLog log = services.log();
    if (log != null && subscribed.compareAndSet(false, true)) {
      log.subscribe(new LeadershipOnMailbox());
      log.serve(new ServedCommands(this, services.scheduler(), services.ledger()));
    }
    return started;
  }

  public QueueSettings settings() {
    return settings;
  }

  /** The log's news of its leadership, handed to the queue's thread. */
  private final class LeadershipOnMailbox implements Leadership {
    @Override
    public void becameLeader() {
      mailbox.execute(MessageQueue.this::becameLeader);
    }

    @Override
    public void steppedDown() {
      mailbox.execute(MessageQueue.this::steppedDown);
    }

    @Override
    public void follows(String leader) {
      mailbox.execute(() -> MessageQueue.this.follows(leader));
    }

    @Override
    public void lost(Throwable cause) {
      mailbox.execute(() -> MessageQueue.this.lost(cause));
    }
  }

  /**
   * Takes new settings while running (a policy changed): TTL, expiry, limits, dead-lettering,
   * delivery limit and consumer timeout apply at once. A changed TTL applies to the messages
   * already ready, counted from when each was enqueued (so those older than a new, shorter TTL
   * expire now); lower limits drop (or refuse) at once. Priorities and single active consumer are
   * fixed when the queue is made; a change of those is ignored.
   */
  public void applySettings(QueueSettings changed) {
    Runnable change = () -> changeSettings(changed);
    command(change, change, refused -> change.run());
  }

  private void changeSettings(QueueSettings changed) {
    QueueSettings now = settings;
    if (changed.maxPriority() != now.maxPriority()
        || changed.singleActiveConsumer() != now.singleActiveConsumer()) {
      LOG.warn(
          "queue '{}': priorities and single active consumer cannot change on a live queue; kept",
          name());
    }
    QueueSettings applied = changed.keepingFixedOf(now);
    settings = applied;
    if (applied.expiresMillis() != now.expiresMillis()) {
      if (lease != null) {
        lease.cancel();
      }
      lease = newLease(applied);
      if (lease != null) {
        if (consumers.size() > 0) {
          lease.hold();
        } else {
          lease.renew();
        }
      }
    }
    if (state == State.RUNNING) {
      messages.apply(applied, consumers);
    }
  }

  /** Any use that renews an {@code x-expires} lease and is not otherwise a command (redeclare). */
  public void touch() {
    command(this::used, this::used, refused -> {});
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

  /**
   * The queue's figures, as its thread last published them (after its last batch of commands): any
   * thread, without a round trip through the queue.
   */
  public QueueStats stats() {
    return stats;
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
   * Releases every message held in memory, after marking in the log those delivered (they come back
   * redelivered at the next start, with everything else it stored). Only once the queue's thread
   * has ended: the broker has stopped, its log not yet.
   */
  public void releaseMemory() {
    if (recovery != null) {
      recovery.abandon();
    }
    messages.releaseMemory(state == State.RUNNING);
  }

  /** Enqueues a message; takes ownership of one reference. {@code confirm} may be null. */
  public void publish(Message message, Confirmation confirm) {
    publish(message, confirm, () -> {});
  }

  /** A publish another node forwarded here: served only while this node leads the log. */
  void publishServed(Message message, Confirmation confirm) {
    command(
        () -> enqueue(message, confirm), null, refused -> Confirmation.refuse(message, confirm));
  }

  /**
   * As {@link #publish(Message, Confirmation)}, then runs {@code taken} on the queue's thread once
   * the queue has taken the message in (or refused it): the publisher's credit comes back.
   */
  public void publish(Message message, Confirmation confirm, Runnable taken) {
    command(
        () -> {
          enqueue(message, confirm);
          taken.run();
        },
        () -> {
          forwarding.publish(message, confirm);
          taken.run();
        },
        refused -> {
          Confirmation.refuse(message, confirm);
          taken.run();
        });
  }

  /**
   * True when publishes pile up faster than the queue takes them, or faster than its log writes
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
    Runnable add = () -> addConsumer(consumer, exclusive, done);
    command(add, add, done::completeExceptionally);
  }

  /** Removes a consumer (basic.cancel, channel closed). Unacked deliveries stay unacked. */
  public void cancel(QueueConsumer consumer) {
    mailbox.execute(() -> removeConsumer(consumer));
  }

  /** A consumer that refused a reservation can take deliveries again. */
  public void resume() {
    command(this::dispatch, this::dispatch, refused -> {});
  }

  /**
   * Acknowledges the first {@code count} ids. Completes once the queue's log applied the acks (a
   * transaction's commit waits for it); fails when the log refused them (the messages then come
   * back, redelivered).
   */
  public CompletableFuture<Void> ack(long[] ids, int count) {
    return ack(ids, count, true, true);
  }

  /** As {@link #ack(long[], int)} for a caller that does not wait: forwarded, answered sooner. */
  public void ackUnawaited(long[] ids, int count) {
    ack(ids, count, true, false);
  }

  /**
   * As {@link #ack(long[], int)}; {@code forwardable}: to the leader if another node leads, which
   * answers once its log applied them only when {@code awaited} (see {@link RemoteQueue#ack}).
   */
  CompletableFuture<Void> ack(long[] ids, int count, boolean forwardable, boolean awaited) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    command(
        () -> {
          if (state == State.UNAVAILABLE) {
            done.completeExceptionally(unavailable());
          } else {
            Futures.relay(messages.acknowledge(ids, count), done);
          }
        },
        forwardable ? () -> forwarding.ack(ids, count, awaited, done) : null,
        done::completeExceptionally);
    return done;
  }

  /**
   * Rejects the first {@code count} ids. Requeued ones go back to their original place, unless they
   * are past their delivery limit or deadline; the others are dead-lettered (or dropped).
   */
  public void reject(long[] ids, int count, boolean requeue) {
    reject(ids, count, requeue, true);
  }

  /** As {@link #reject(long[], int, boolean)}; {@code forwardable} as for {@link #ack}. */
  void reject(long[] ids, int count, boolean requeue, boolean forwardable) {
    command(
        () -> {
          if (state != State.UNAVAILABLE) {
            messages.reject(ids, count, requeue && !deleted, consumers);
          }
        },
        forwardable ? () -> forwarding.reject(ids, count, requeue) : null,
        refused -> {});
  }

  /** basic.get: the next ready message, or null when there is none. */
  public CompletableFuture<Delivery> get(boolean noAck) {
    return get(noAck, true, null, 0, 0);
  }

  /**
   * A GET node {@code node} forwarded for its consumer {@code consumer} (0: a basic.get) of {@code
   * priority}: none while that consumer's turn has not come ({@link ConsumerSelection#mayServe}).
   */
  CompletableFuture<Delivery> getFor(boolean noAck, String node, long consumer, int priority) {
    return get(noAck, false, node, consumer, priority);
  }

  private CompletableFuture<Delivery> get(
      boolean noAck, boolean forwardable, String node, long consumer, int priority) {
    CompletableFuture<Delivery> done = new CompletableFuture<>();
    command(
        () -> {
          if (deleted || !consumers.mayServe(node, consumer, priority)) {
            done.complete(null);
          } else if (state == State.UNAVAILABLE) {
            done.completeExceptionally(unavailable());
          } else {
            used();
            messages.get(noAck, done);
          }
        },
        forwardable
            ? () -> {
              used();
              forwarding.get(noAck, done);
            }
            : null,
        done::completeExceptionally);
    return done;
  }

  /**
   * Node {@code node} puts forward its consumer ({@link ConsumerSelection#contend}); served only
   * while this node leads the log.
   */
  void contend(String node, long consumer, int priority, CompletableFuture<Void> done) {
    Runnable contend =
        () -> {
          if (consumers.contend(node, consumer, priority)) {
            dispatch();
          }
          done.complete(null);
        };
    command(contend, null, done::completeExceptionally);
  }

  /** The counts queue.declare-ok reports, exact: after every command sent to the queue before. */
  public CompletableFuture<QueueCounts> counts() {
    return counts(true);
  }

  /** As {@link #counts()}; {@code forwardable} as for {@link #ack}. */
  CompletableFuture<QueueCounts> counts(boolean forwardable) {
    CompletableFuture<QueueCounts> done = new CompletableFuture<>();
    command(
        () -> {
          if (state == State.RUNNING) {
            messages.expireDue();
          }
          done.complete(new QueueCounts(messages.readyCount(), consumers.size()));
        },
        forwardable ? () -> forwarding.counts(done, consumers.size()) : null,
        done::completeExceptionally);
    return done;
  }

  /** Drops every ready message; completes with how many, once the queue's log applied it. */
  public CompletableFuture<Integer> purge() {
    return purge(true);
  }

  /** As {@link #purge()}; {@code forwardable} as for {@link #ack}. */
  CompletableFuture<Integer> purge(boolean forwardable) {
    CompletableFuture<Integer> done = new CompletableFuture<>();
    command(
        () -> {
          if (state == State.UNAVAILABLE) {
            done.completeExceptionally(unavailable());
          } else {
            Futures.relay(messages.purge(), done);
          }
        },
        forwardable ? () -> forwarding.purge(done) : null,
        done::completeExceptionally);
    return done;
  }

  /**
   * Deletes the queue unless a condition forbids it (then fails with {@link QueueException});
   * completes with the number of ready messages dropped, once its log applied the deletion.
   * Consumers are told they were cancelled. Without conditions it runs at once whether this node
   * serves the queue or not (a deletion the metadata group committed reaches every node; the count
   * is then 0 on a node that did not serve it); with one, only where the queue serves, since only
   * there its consumers and messages are known.
   */
  public CompletableFuture<Integer> delete(boolean ifUnused, boolean ifEmpty) {
    CompletableFuture<Integer> done = new CompletableFuture<>();
    Runnable delete =
        () -> {
          if (deleted) {
            done.complete(0);
          } else if (ifUnused && consumers.size() > 0) {
            done.completeExceptionally(
                new QueueException(Reason.IN_USE, "queue '" + name() + "' in use"));
          } else if (ifEmpty && messages.readyAfterExpiry() > 0) {
            done.completeExceptionally(
                new QueueException(Reason.NOT_EMPTY, "queue '" + name() + "' not empty"));
          } else {
            Futures.relay(destroy(), done);
          }
        };
    if (ifUnused || ifEmpty) {
      command(delete, null, done::completeExceptionally);
    } else {
      mailbox.execute(delete);
    }
    return done;
  }

  /** A client's command, to the queue's thread and on through its {@link CommandGate}. */
  private void command(Runnable task, Runnable forward, Consumer<QueueException> refuse) {
    mailbox.execute(() -> commands.submit(task, forward, refuse));
  }

  // --- Life: leadership of the log ---------------------------------------------------------

  /** This node leads the queue's log: rebuild from it, then run. */
  private void becameLeader() {
    if (state == State.DELETED || state == State.UNAVAILABLE || state == State.RUNNING) {
      return;
    }
    forwarding.stop();
    state = State.RECOVERING;
    messages = newMessages();
    recovery =
        new QueueRecovery(
            name(),
            services.log(),
            store,
            mailbox,
            new QueueRecovery.Target() {
              @Override
              public void recovered(long id, QueueRecovery.Found how, StoredForm.Restored m) {
                messages.recovered(id, how, m, services.scheduler().epochMillis());
              }

              @Override
              public void done(long nextId) {
                recoveryDone(nextId);
              }

              @Override
              public void failed(Throwable cause) {
                lost(cause);
              }
            });
    recovery.start();
  }

  private void recoveryDone(long nextId) {
    recovery = null;
    messages.startIdsAt(nextId);
    state = State.RUNNING;
    started.complete(null);
    commands.release();
    dispatch();
  }

  /**
   * This node no longer leads the queue's log: the queue lets go of what it holds in memory (the
   * log keeps it; the new leader delivers it, and what was out unacked comes back redelivered) and
   * holds its clients' commands until it leads again.
   */
  private void steppedDown() {
    if (state == State.DELETED || state == State.UNAVAILABLE) {
      return;
    }
    if (state != State.STANDBY || forwarding.leaderNode() != null) {
      LOG.info("queue '{}': this node does not lead its log; it waits for a leader", name());
    }
    letGo();
    forwarding.stop();
  }

  /**
   * Node {@code leader} leads the queue's log: as {@link #steppedDown}, and every command waiting
   * here, or coming, goes to the queue there ({@link Forwarding}); consumers here stay and are fed
   * from there. A log that cannot forward ({@link MessageLog#remote} null): commands are refused
   * naming that node, and consumers here are told they are cancelled (basic.cancel to a client that
   * asked for consumer_cancel_notify), as nothing would reach them.
   */
  private void follows(String leader) {
    if (state == State.DELETED || state == State.UNAVAILABLE) {
      return;
    }
    boolean moved = !leader.equals(forwarding.leaderNode());
    letGo();
    if (moved) {
      RemoteQueue remote = services.log().remote(leader);
      LOG.info(
          "queue '{}': node {} leads its log; this node {} its clients' commands",
          name(),
          leader,
          remote == null ? "refuses" : "forwards");
      forwarding.follow(leader, remote);
    }
    if (!forwarding.active()) {
      cancelConsumers();
    }
    commands.handOver();
    dispatch();
  }

  private void letGo() {
    if (recovery != null) {
      recovery.abandon();
      recovery = null;
    }
    if (state == State.RUNNING || state == State.RECOVERING) {
      messages.releaseMemory(false);
    }
    state = State.STANDBY;
  }

  /** The queue's log is lost for good: it refuses everything from now on. */
  private void lost(Throwable cause) {
    if (state == State.DELETED || state == State.UNAVAILABLE) {
      return;
    }
    LOG.error("queue '{}' lost its log; it refuses every command from now on", name(), cause);
    if (recovery != null) {
      recovery.abandon();
      recovery = null;
    }
    state = State.UNAVAILABLE;
    lostCause = cause;
    forwarding.stop();
    messages.releaseMemory(false);
    started.completeExceptionally(cause);
    cancelConsumers();
    commands.release();
  }

  private QueueException unavailable() {
    return new QueueException(
        Reason.UNAVAILABLE, "queue '" + name() + "' is unavailable", lostCause);
  }

  // --- Commands, on the queue's thread -----------------------------------------------------

  private void enqueue(Message message, Confirmation confirm) {
    if (deleted || state == State.UNAVAILABLE) {
      message.release();
      if (confirm != null) {
        confirm.settle(deleted); // RabbitMQ confirms a message routed to a queue deleted meanwhile
      }
    } else {
      messages.enqueue(message, consumers, confirm);
    }
  }

  private void addConsumer(
      QueueConsumer consumer, boolean exclusive, CompletableFuture<Void> done) {
    if (deleted) {
      done.completeExceptionally(new QueueException(Reason.DELETED, "queue deleted"));
      return;
    }
    if (state == State.UNAVAILABLE) {
      done.completeExceptionally(unavailable());
      return;
    }
    if (exclusiveConsumer != null || (exclusive && consumers.size() > 0)) {
      done.completeExceptionally(
          new QueueException(Reason.EXCLUSIVE_CONSUMER, "queue '" + name() + "' in exclusive use"));
      return;
    }
    consumers.add(consumer);
    forwarding.contend();
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
    forwarding.contend();
    if (exclusiveConsumer == consumer) {
      exclusiveConsumer = null;
    }
    if (consumers.size() > 0) {
      dispatch();
      return;
    }
    if (definition.autoDelete() && hadConsumer && !deleted && !stopping) {
      destroy();
      services.deletion().deleted(this);
    } else if (lease != null && !deleted) {
      lease.release();
    }
  }

  /** Offers messages to the consumers: the queue's own, or the leader's while it forwards. */
  private void dispatch() {
    if (state == State.RUNNING) {
      messages.dispatch(consumers);
    } else if (state == State.STANDBY && forwarding.leaderNode() != null) {
      forwarding.pull();
    }
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
      services.deletion().deleted(this);
    }
  }

  /** A use that renews the x-expires lease. */
  private void used() {
    if (lease != null && !deleted) {
      lease.renew();
    }
  }

  private CompletableFuture<Integer> destroy() {
    deleted = true;
    state = State.DELETED;
    forwarding.stop();
    if (lease != null) {
      lease.cancel();
    }
    if (recovery != null) {
      recovery.abandon();
      recovery = null;
    }
    CompletableFuture<Integer> dropped = messages.close();
    cancelConsumers();
    return dropped;
  }

  private void cancelConsumers() {
    for (QueueConsumer consumer : consumers.all()) {
      consumers.remove(consumer);
      consumer.cancelledByQueue(this);
    }
    exclusiveConsumer = null;
  }

  /** The messages as they are now, for tests of the cost of their bookkeeping. */
  QueueMessages messages() {
    return messages;
  }

  /** Publishes the figures for readers elsewhere; after each batch of commands. */
  private void publishStats() {
    stats = stats.next(messages, consumers.size(), state);
  }

  private void afterBatch() {
    messages.afterBatch(consumers.size() > 0);
    publishStats();
    long heap = state == State.DELETED ? 0 : MemoryLedger.QUEUE + messages.heapEstimate();
    services.ledger().add(heap - heapReported);
    heapReported = heap;
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
