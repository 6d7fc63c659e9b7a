package dev.warren.broker.vhost;

import dev.warren.persistence.journal.Journal;
import dev.warren.persistence.journal.QueueJournal;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Journal views for transient queues: they spill a deep backlog's bodies to the node's journal
 * instead of holding them in memory, and nothing of it is recovered (the next start drops the ids,
 * which no definition holds).
 *
 * <p>Ids: the journal never reuses a queue id, and durable queues take 0 and up from the
 * definitions store; transient ones count up from {@code Long.MIN_VALUE + start-time-ms * 2^20}, so
 * a later start begins beyond every id an earlier one used unless that one declared over a million
 * transient queues per millisecond between the two starts. Thread-safe.
 */
public final class SpillJournals {
  private final Journal journal;
  private final AtomicLong nextId;

  public SpillJournals(Journal journal) {
    this.journal = journal;
    this.nextId = new AtomicLong(Long.MIN_VALUE + System.currentTimeMillis() * (1L << 20));
  }

  /** Whether a journal queue id is a transient queue's (negative) rather than a durable one's. */
  public static boolean isSpill(long queueId) {
    return queueId < 0;
  }

  /** A view for a new transient queue, under an id of its own. */
  public QueueJournal next() {
    return journal.forSpill(nextId.getAndIncrement());
  }
}
