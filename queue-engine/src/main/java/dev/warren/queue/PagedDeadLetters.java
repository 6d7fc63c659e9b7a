package dev.warren.queue;

import dev.warren.persistence.journal.QueueJournal;
import dev.warren.persistence.journal.StoredMessage;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dead-letters messages that leave a queue while paged out (expired or dropped deep in a backlog):
 * their bodies are read back from the journal first, a batch at a time, in the order they left,
 * then handed to the {@link DeadLetterSink}. Each stays in the journal until its dead letter is
 * safe wherever it went, as for a message in memory; one that cannot be read back stays there (and
 * comes back at the next start). Those waiting cost 9 bytes each (id and reason in primitive
 * arrays), however many expire at once.
 *
 * <p>Owner: the queue's thread; one read at a time runs on the journal's reader thread and comes
 * back through the queue's mailbox. Buffers: each message read back is handed to the sink, or
 * released when the queue is gone by then.
 */
final class PagedDeadLetters {
  private static final Logger LOG = LoggerFactory.getLogger(PagedDeadLetters.class);
  private static final DeadLetterSink.Reason[] REASONS = DeadLetterSink.Reason.values();

  /** Messages read back per journal read. */
  private static final int BATCH = 4096;

  /** What to do with a message read back. */
  interface Target {
    /** Whether the queue still exists (a deleted queue dead-letters nothing more). */
    boolean open();

    /** Takes the message's reference. */
    void deadLetter(long id, Message message, DeadLetterSink.Reason reason);
  }

  private final String queueName;
  private final QueueJournal journal;
  private final Executor mailbox;
  private final Target target;

  /** Waiting to be read, oldest first: {@code ids[head..tail)} with their reasons' ordinals. */
  private long[] ids = new long[64];

  private byte[] reasons = new byte[64];
  private int head;
  private int tail;
  private boolean reading;

  PagedDeadLetters(String queueName, QueueJournal journal, Executor mailbox, Target target) {
    this.queueName = queueName;
    this.journal = journal;
    this.mailbox = mailbox;
    this.target = target;
  }

  /** A paged-out stored message left the queue for {@code reason}: dead-letter it once read. */
  void add(long id, DeadLetterSink.Reason reason) {
    if (tail == ids.length) {
      int waiting = tail - head;
      int capacity = waiting * 2 > ids.length ? ids.length * 2 : ids.length;
      ids = Arrays.copyOfRange(ids, head, head + capacity);
      reasons = Arrays.copyOfRange(reasons, head, head + capacity);
      head = 0;
      tail = waiting;
    }
    ids[tail] = id;
    reasons[tail] = (byte) reason.ordinal();
    tail++;
    if (!reading) {
      reading = true;
      mailbox.execute(this::readNext); // after the command at hand, with whatever else it discards
    }
  }

  private void readNext() {
    if (head == tail || !target.open()) {
      head = 0;
      tail = 0;
      reading = false;
      return;
    }
    int n = Math.min(BATCH, tail - head);
    long[] batch = Arrays.copyOfRange(ids, head, head + n);
    byte[] why = Arrays.copyOfRange(reasons, head, head + n);
    head += n;
    journal
        .read(batch)
        .whenComplete(
            (read, error) ->
                ReadBack.handBack(mailbox, read, () -> readBack(batch, why, read, error)));
  }

  private void readBack(long[] batch, byte[] why, List<StoredMessage> read, Throwable error) {
    if (error != null) {
      LOG.error(
          "queue '{}': cannot read {} messages back to dead-letter them; they stay on disk",
          queueName,
          batch.length,
          error);
    } else {
      for (int i = 0; i < batch.length; i++) {
        deadLetter(batch[i], REASONS[why[i]], read.get(i));
      }
    }
    readNext();
  }

  private void deadLetter(long id, DeadLetterSink.Reason reason, StoredMessage stored) {
    if (stored == null) {
      return; // acked meanwhile: the queue was deleted
    }
    Message message;
    try {
      message = StoredForm.restore(stored).message();
    } catch (RuntimeException bad) {
      LOG.error(
          "queue '{}': cannot restore message {} to dead-letter it; it stays on disk",
          queueName,
          id,
          bad);
      return;
    }
    if (target.open()) {
      target.deadLetter(id, message, reason);
    } else {
      message.release();
    }
  }
}
