package dev.warren.queue;

import dev.warren.storage.StoredMessage;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dead-letters messages that leave a queue while paged out (expired or dropped deep in a backlog):
 * their bodies are read back from their store first, a batch at a time, in the order they left,
 * then handed to the {@link DeadLetterSink}. A logged one stays in the log until its dead letter is
 * safe wherever it went, as for a message in memory; one that cannot be read back stays there (and
 * comes back at the next start). A spilled one leaves the spill store once read. Those waiting cost
 * 9 bytes each (id, and reason and store in a byte), however many expire at once.
 *
 * <p>Owner: the queue's thread; one read at a time runs on a store's thread and comes back through
 * the queue's mailbox. Buffers: each message read back is handed to the sink, or released when the
 * queue is gone by then.
 */
final class PagedDeadLetters {
  private static final Logger LOG = LoggerFactory.getLogger(PagedDeadLetters.class);
  private static final DeadLetterSink.Reason[] REASONS = DeadLetterSink.Reason.values();
  private static final int SPILLED = 0x80;

  /** Messages read back per read. */
  private static final int BATCH = 4096;

  /** What to do with a message read back. */
  interface Target {
    /** Whether the queue still exists (a deleted queue dead-letters nothing more). */
    boolean open();

    /** Takes the message's reference; {@code logged}: its log holds it until the sink accepts. */
    void deadLetter(long id, boolean logged, Message message, DeadLetterSink.Reason reason);
  }

  private final String queueName;
  private final QueueStore store;
  private final Executor mailbox;
  private final Target target;

  /**
   * Waiting to be read, oldest first: {@code ids[head..tail)} with their reasons' ordinals, plus
   * {@link #SPILLED} for a message in the spill store.
   */
  private long[] ids = new long[0]; // empty until needed: most queues never dead-letter paged out

  private byte[] reasons = new byte[0];
  private int head;
  private int tail;
  private boolean reading;

  PagedDeadLetters(String queueName, QueueStore store, Executor mailbox, Target target) {
    this.queueName = queueName;
    this.store = store;
    this.mailbox = mailbox;
    this.target = target;
  }

  /** A paged-out message left the queue for {@code reason}: dead-letter it once read. */
  void add(long id, boolean spilled, DeadLetterSink.Reason reason) {
    if (tail == ids.length) {
      int waiting = tail - head;
      int capacity = Math.max(64, waiting * 2 > ids.length ? ids.length * 2 : ids.length);
      ids = Arrays.copyOfRange(ids, head, head + capacity);
      reasons = Arrays.copyOfRange(reasons, head, head + capacity);
      head = 0;
      tail = waiting;
    }
    ids[tail] = id;
    reasons[tail] = (byte) (reason.ordinal() | (spilled ? SPILLED : 0));
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
    boolean[] spilled = new boolean[n];
    for (int i = 0; i < n; i++) {
      spilled[i] = (why[i] & SPILLED) != 0;
    }
    store
        .read(batch, spilled)
        .whenComplete(
            (read, error) ->
                ReadBack.handBack(mailbox, read, () -> readBack(batch, why, read, error)));
  }

  private void readBack(long[] batch, byte[] why, List<StoredMessage> read, Throwable error) {
    if (error != null) {
      LOG.error(
          "queue '{}': cannot read {} messages back to dead-letter them; they stay stored",
          queueName,
          batch.length,
          error);
    } else {
      for (int i = 0; i < batch.length; i++) {
        boolean spilled = (why[i] & SPILLED) != 0;
        deadLetter(batch[i], spilled, REASONS[why[i] & ~SPILLED], read.get(i));
      }
    }
    readNext();
  }

  private void deadLetter(
      long id, boolean spilled, DeadLetterSink.Reason reason, StoredMessage stored) {
    if (stored == null) {
      return; // gone meanwhile: the queue was deleted
    }
    if (spilled) {
      store.forget(id, false, true);
    }
    Message message;
    try {
      message = store.restore(stored).message();
    } catch (RuntimeException bad) {
      LOG.error(
          "queue '{}': cannot restore message {} to dead-letter it; it stays stored",
          queueName,
          id,
          bad);
      return;
    }
    if (target.open()) {
      target.deadLetter(id, !spilled, message, reason);
    } else {
      message.release();
    }
  }
}
