package dev.warren.queue;

import dev.warren.storage.MessageLog;
import dev.warren.storage.SpillStore;
import java.util.concurrent.Executor;

/**
 * What a queue needs from its surroundings: a thread, time, a place for dead letters, someone to
 * tell when it deletes itself, and its stores.
 *
 * @param executor runs the queue's mailbox
 * @param owner tells whether the caller is the executor's thread
 * @param scheduler clocks and timers
 * @param deadLetters where dead-lettered messages go
 * @param deletion told (on the queue's thread) when the queue deletes itself: auto-delete, expiry
 * @param log where a durable queue keeps its persistent messages until settled, or null for a queue
 *     whose messages do not survive a restart
 * @param spill where the queue pages out messages its log does not hold, to keep its memory
 *     bounded; null for a queue that keeps everything in memory
 * @param ledger where the queue counts the heap its messages take
 */
public record QueueServices(
    Executor executor,
    Mailbox.OwnerThread owner,
    Scheduler scheduler,
    DeadLetterSink deadLetters,
    MessageQueue.DeletionListener deletion,
    MessageLog log,
    SpillStore spill,
    MemoryLedger ledger) {

  /** Services of a queue that keeps its messages in memory only. */
  public QueueServices(
      Executor executor,
      Mailbox.OwnerThread owner,
      Scheduler scheduler,
      DeadLetterSink deadLetters,
      MessageQueue.DeletionListener deletion) {
    this(executor, owner, scheduler, deadLetters, deletion, null, null, MemoryLedger.unlimited());
  }
}
