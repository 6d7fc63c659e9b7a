package dev.warren.queue;

import dev.warren.storage.MessageLog;
import dev.warren.storage.SpillStore;
import dev.warren.storage.StoredMessage;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The side of a queue that talks to its stores (DESIGN.md section 1): the {@link MessageLog} that
 * keeps a durable queue's persistent messages until they are settled, and the {@link SpillStore}
 * where it pages out messages the log does not hold. Which store holds an entry's message is on the
 * entry ({@link Entry#logged}, {@link Entry#spilled}).
 *
 * <p>Owner: the queue's thread, except {@link #holdsPublishers}, which publishers read. Futures of
 * the stores complete on their threads; what follows them either is thread-safe (a publisher's
 * {@link Confirmation}) or hops back through the queue's mailbox. Buffers: a message's buffers are
 * lent to the store for the write (it takes references of its own); messages read back belong to
 * the caller of {@link #read}.
 */
final class QueueStore {
  /**
   * Appends handed to the log and not yet safe, or their bodies' bytes, above which the publishers
   * are asked to pause: the log holds each body until it is written, and a reader of paged-out
   * messages waits behind the writes already queued. An append of the node journal is safe at the
   * force that covers it, up to 200 ms later with {@code --journal-sync interval}, so the mark
   * leaves room for that interval's worth of messages at a few hundred thousand a second.
   */
  static final int STORING_HIGH = 65_536;

  static final long STORING_BYTES_HIGH = 64L << 20;

  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
  private static final Runnable NOTHING = () -> {};

  private final MessageLog log;
  private final SpillStore spill;
  private final MemoryLedger ledger;
  private final Scheduler scheduler;
  private final Executor mailbox;
  private final AtomicInteger storing = new AtomicInteger();
  private final AtomicLong storingBytes = new AtomicLong();

  /** Something went to a store, so purges and the deletion must reach it. */
  private boolean everStored;

  /**
   * Messages held that the log holds (persistent messages of a durable queue): appended or
   * recovered, and not forgotten since. Queue thread.
   */
  private int persistent;

  QueueStore(
      MessageLog log,
      SpillStore spill,
      MemoryLedger ledger,
      Scheduler scheduler,
      Executor mailbox) {
    this.log = log;
    this.spill = spill;
    this.ledger = ledger;
    this.scheduler = scheduler;
    this.mailbox = mailbox;
  }

  /** Whether the queue has a log (it is durable). */
  boolean hasLog() {
    return log != null;
  }

  /** Whether messages can be paged out at all: some store can give them back. */
  boolean canPage() {
    return log != null || spill != null;
  }

  /** Whether {@code message} belongs in the log: a persistent message of a durable queue. */
  boolean logs(Message message) {
    return log != null && message.persistent();
  }

  /** Whether publishers should pause until the log has caught up (any thread). */
  boolean holdsPublishers() {
    return storing.get() > STORING_HIGH || storingBytes.get() > STORING_BYTES_HIGH;
  }

  /**
   * Appends {@code e}'s message to the log and settles {@code confirm} (may be null) once it is
   * safe there, or refused: a nack, never a false ack. The entry counts as logged unless the log
   * refused it at once (then it stays in memory only).
   */
  void append(Entry e, Confirmation confirm) {
    CompletableFuture<Void> appended = write(e, true);
    e.logged = !appended.isCompletedExceptionally();
    if (e.logged) {
      persistent++;
    }
    if (appended.isDone()) {
      settle(confirm, !appended.isCompletedExceptionally());
      return;
    }
    int size = e.bodySize;
    storing.incrementAndGet();
    storingBytes.addAndGet(size);
    appended.whenComplete(
        (ok, error) -> {
          settle(confirm, error == null);
          written(size);
        });
  }

  /**
   * Writes {@code e}'s message to the spill store, to page it out; false when the store refused it
   * at once (it then stays in memory). Nobody waits for the write: the store reads back whatever it
   * was given, and nothing spilled is ever recovered.
   */
  boolean spill(Entry e) {
    e.spilled = spill != null && !write(e, false).isCompletedExceptionally();
    return e.spilled;
  }

  private CompletableFuture<Void> write(Entry e, boolean toLog) {
    everStored = true;
    Message message = e.message;
    ByteBuf metadata = StoredForm.metadata(message, scheduler.epochMillis());
    try {
      return toLog
          ? log.append(e.id, metadata, message.body())
          : spill.write(e.id, metadata, message.body());
    } finally {
      metadata.release();
    }
  }

  private static void settle(Confirmation confirm, boolean accepted) {
    if (confirm != null) {
      confirm.settle(accepted);
    }
  }

  /** On the log's thread: an append is over; held publishers are woken once it caught up. */
  private void written(int size) {
    long bytes = storingBytes.addAndGet(-size);
    if (storing.decrementAndGet() == STORING_HIGH
        || (bytes <= STORING_BYTES_HIGH && bytes + size > STORING_BYTES_HIGH)) {
      mailbox.execute(NOTHING); // the queue's afterBatch wakes them
    }
  }

  /**
   * {@code e} leaves the queue for good (acked, expired, dropped, purged): its stored copy goes.
   * Completes once the log applied the ack (at once for a message it does not hold).
   */
  CompletableFuture<Void> forget(Entry e) {
    return forget(e.id, e.logged, e.spilled);
  }

  /** As {@link #forget(Entry)}, for a message known by its id and where it is stored. */
  CompletableFuture<Void> forget(long id, boolean logged, boolean spilled) {
    if (spilled) {
      spill.discard(id);
    }
    if (!logged) {
      return DONE;
    }
    persistent--;
    return log.ack(id);
  }

  /** A spilled message was read back into memory: its copy in the spill store is not needed. */
  void readBack(Entry e) {
    if (e.spilled) {
      e.spilled = false;
      spill.discard(e.id);
    }
  }

  /**
   * {@code e} came back to the queue after its deliveries: a log that keeps delivery counts (a
   * replicated one) keeps its count, so that its delivery limit holds across a change of leader.
   */
  void returned(Entry e) {
    if (e.logged) {
      log.returned(e.id, e.deliveryCount);
    }
  }

  /**
   * Logged message {@code id} is being dead-lettered: a log that keeps the mark (a replicated one)
   * has a new leader dead-letter it again rather than deliver it. It stays logged until {@link
   * #forget} once its dead letter is safe.
   */
  void deadLettering(long id, DeadLetterSink.Reason reason) {
    log.deadLettering(id, reason.ordinal());
  }

  /** The broker stops: {@code e} was delivered, so it must come back redelivered. */
  void markDelivered(Entry e) {
    if (e.logged) {
      log.delivered(e.id);
    }
  }

  /**
   * Every message the stores hold for the queue goes: the queue was purged and nothing of what it
   * holds elsewhere (unacked, on its way to a dead-letter queue) is stored. Completes once the log
   * applied it.
   */
  CompletableFuture<Void> purge() {
    persistent = 0;
    if (!everStored) {
      return DONE;
    }
    if (spill != null) {
      spill.clear();
    }
    return log == null ? DONE : log.purge();
  }

  /** The queue is deleted with all its messages. Completes once the log applied it. */
  CompletableFuture<Void> delete() {
    persistent = 0;
    if (spill != null && everStored) {
      spill.clear();
    }
    return log == null ? DONE : log.delete();
  }

  /** Whether anything ever went to a store. */
  boolean everStored() {
    return everStored;
  }

  /** A message of the log joined the queue as it rebuilt itself. */
  void recovered() {
    everStored = true;
    persistent++;
  }

  /** The queue let go of every message it held in memory; the log keeps them. */
  void released() {
    persistent = 0;
  }

  /** How many of the messages held the log holds (RabbitMQ's {@code messages_persistent}). */
  int persistent() {
    return persistent;
  }

  /**
   * Reads messages back from the stores that hold them, in the order of {@code ids}; {@code
   * spilled} says which are in the spill store. Completes off the queue's thread; the caller owns
   * the buffers of the result (a message no longer stored reads as null).
   */
  CompletableFuture<List<StoredMessage>> read(long[] ids, boolean[] spilled) {
    int inSpill = 0;
    for (boolean s : spilled) {
      inSpill += s ? 1 : 0;
    }
    if (inSpill == 0) {
      return log.read(ids);
    }
    if (inSpill == ids.length) {
      return spill.read(ids);
    }
    long[] fromSpill = new long[inSpill];
    long[] fromLog = new long[ids.length - inSpill];
    for (int i = 0, s = 0, l = 0; i < ids.length; i++) {
      if (spilled[i]) {
        fromSpill[s++] = ids[i];
      } else {
        fromLog[l++] = ids[i];
      }
    }
    CompletableFuture<List<StoredMessage>> logged = log.read(fromLog);
    CompletableFuture<List<StoredMessage>> spilt = spill.read(fromSpill);
    return logged
        .thenCombine(spilt, (l, s) -> merge(spilled, l, s))
        .whenComplete(
            (merged, error) -> {
              if (error != null) { // one side failed: the other's buffers are still owned here
                releaseIfDone(logged);
                releaseIfDone(spilt);
              }
            });
  }

  private static List<StoredMessage> merge(
      boolean[] spilled, List<StoredMessage> logged, List<StoredMessage> spilt) {
    List<StoredMessage> merged = new ArrayList<>(spilled.length);
    int s = 0;
    int l = 0;
    for (boolean fromSpill : spilled) {
      merged.add(fromSpill ? spilt.get(s++) : logged.get(l++));
    }
    return merged;
  }

  private static void releaseIfDone(CompletableFuture<List<StoredMessage>> read) {
    if (read.isDone() && !read.isCompletedExceptionally()) {
      read.join().stream().filter(m -> m != null).forEach(StoredMessage::release);
    }
  }

  /** A message read back, made again (counted in the queue's ledger); takes {@code stored}. */
  StoredForm.Restored restore(StoredMessage stored) {
    return StoredForm.restore(stored, ledger);
  }

  /** Ids and store flags of {@code entries}, for {@link #read}. */
  CompletableFuture<List<StoredMessage>> read(List<Entry> entries) {
    long[] ids = new long[entries.size()];
    boolean[] spilled = new boolean[ids.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = entries.get(i).id;
      spilled[i] = entries.get(i).spilled;
    }
    return read(ids, spilled);
  }
}
