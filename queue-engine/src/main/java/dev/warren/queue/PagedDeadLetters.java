package dev.warren.queue;

import dev.warren.persistence.journal.QueueJournal;
import dev.warren.persistence.journal.StoredMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dead-letters messages that leave a queue while paged out (expired or dropped deep in a backlog):
 * their bodies are read back from the journal first, in batches, in the order they left, then
 * handed to the {@link DeadLetterSink}. Each stays in the journal until its dead letter is safe
 * wherever it went, as for a message in memory; one that cannot be read back stays there (and comes
 * back at the next start).
 *
 * <p>Owner: the queue's thread; reads run on the journal's reader thread and come back through the
 * queue's mailbox. Buffers: each message read back is handed to the sink, or released when the
 * queue is gone by then.
 */
final class PagedDeadLetters {
  private static final Logger LOG = LoggerFactory.getLogger(PagedDeadLetters.class);

  /** Messages read back per journal read. */
  private static final int BATCH = 4096;

  /** What to do with a message read back. */
  interface Target {
    /** Whether the queue still exists (a deleted queue dead-letters nothing more). */
    boolean open();

    /** Takes the message's reference. */
    void deadLetter(long id, Message message, DeadLetterSink.Reason reason);
  }

  private record Leaving(long id, DeadLetterSink.Reason reason) {}

  private final String queueName;
  private final QueueJournal journal;
  private final Executor mailbox;
  private final Target target;
  private List<Leaving> waiting = new ArrayList<>();

  PagedDeadLetters(String queueName, QueueJournal journal, Executor mailbox, Target target) {
    this.queueName = queueName;
    this.journal = journal;
    this.mailbox = mailbox;
    this.target = target;
  }

  /** A paged-out stored message left the queue for {@code reason}: dead-letter it once read. */
  void add(long id, DeadLetterSink.Reason reason) {
    if (waiting.isEmpty()) {
      mailbox.execute(this::read); // after the command at hand, with whatever else it discards
    }
    waiting.add(new Leaving(id, reason));
  }

  private void read() {
    List<Leaving> all = waiting;
    waiting = new ArrayList<>();
    for (int from = 0; from < all.size(); from += BATCH) {
      List<Leaving> batch = all.subList(from, Math.min(all.size(), from + BATCH));
      long[] ids = new long[batch.size()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = batch.get(i).id();
      }
      journal.read(ids).whenComplete((read, error) -> handBack(batch, read, error));
    }
  }

  private void handBack(List<Leaving> batch, List<StoredMessage> read, Throwable error) {
    try {
      mailbox.execute(() -> readBack(batch, read, error));
    } catch (RejectedExecutionException stopped) {
      if (read != null) {
        read.forEach(
            StoredMessage::release); // the broker stopped: they come back at the next start
      }
    }
  }

  private void readBack(List<Leaving> batch, List<StoredMessage> read, Throwable error) {
    if (error != null) {
      LOG.error(
          "queue '{}': cannot read {} messages back to dead-letter them; they stay on disk",
          queueName,
          batch.size(),
          error);
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      Message message = StoredForm.restore(read.get(i)).message();
      if (target.open()) {
        target.deadLetter(batch.get(i).id(), message, batch.get(i).reason());
      } else {
        message.release();
      }
    }
  }
}
