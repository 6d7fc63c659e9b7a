package dev.warren.queue;

import dev.warren.persistence.journal.QueueJournal;
import java.util.concurrent.Executor;

/**
 * What a queue needs from its surroundings: a thread, time, a place for dead letters, and someone
 * to tell when it deletes itself.
 *
 * @param executor runs the queue's mailbox
 * @param owner tells whether the caller is the executor's thread
 * @param scheduler clock and timers
 * @param deadLetters where dead-lettered messages go
 * @param deletion told (on the queue's thread) when the queue deletes itself: auto-delete, expiry
 * @param journal where a durable queue stores its persistent messages, or a spill-only view where a
 *     transient queue writes its deep backlog ({@link QueueJournal#recoverable()} false); null for
 *     a queue that keeps everything in memory
 */
public record QueueServices(
    Executor executor,
    Mailbox.OwnerThread owner,
    Scheduler scheduler,
    DeadLetterSink deadLetters,
    MessageQueue.DeletionListener deletion,
    QueueJournal journal) {

  /** Services of a queue that keeps its messages in memory only. */
  public QueueServices(
      Executor executor,
      Mailbox.OwnerThread owner,
      Scheduler scheduler,
      DeadLetterSink deadLetters,
      MessageQueue.DeletionListener deletion) {
    this(executor, owner, scheduler, deadLetters, deletion, null);
  }
}
