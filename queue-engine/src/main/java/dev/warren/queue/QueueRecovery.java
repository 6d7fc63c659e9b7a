package dev.warren.queue;

import dev.warren.storage.MessageLog;
import dev.warren.storage.MessageRuns;
import dev.warren.storage.RecoveredLog;
import dev.warren.storage.StoredMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a queue from its log (at start-up, or when its node becomes the log's leader): the live
 * messages the log lists are read back a batch at a time, one read in flight, and handed to the
 * queue in id order; most of a deep backlog is paged out again at once (the log keeps it). Each
 * step is a task on the queue's mailbox: nothing blocks, and the queue holds back its clients'
 * commands until {@link Target#done} (see {@link MessageQueue}).
 *
 * <p>Owner: the queue's thread; reads run on the log's threads. Buffers: each message read back is
 * handed to the target, or released when this recovery was abandoned meanwhile.
 */
final class QueueRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(QueueRecovery.class);

  /** Messages read back per read. */
  private static final int BATCH = 1024;

  /** Where recovered messages go. Called on the queue's thread. */
  interface Target {
    /** A live message of the log, and how it was left. Takes the message's reference. */
    void recovered(long id, Found how, StoredForm.Restored restored);

    /** Every message was handed over; new ones take ids from {@code nextId}. */
    void done(long nextId);

    /**
     * The log could not say what it holds, for good ({@link MessageLog#recoverRetryMillis} -1;
     * otherwise it is asked again): the queue cannot serve.
     */
    void failed(Throwable cause);
  }

  /**
   * How the log left a message.
   *
   * @param deliveries the deliveries it counts as having had: 0 if it was never delivered, else at
   *     least 1 (redelivered)
   * @param deadLettering why it was being dead-lettered (its dead letter not known to be safe), or
   *     null: it is ready
   */
  record Found(int deliveries, DeadLetterSink.Reason deadLettering) {}

  private static final DeadLetterSink.Reason[] REASONS = DeadLetterSink.Reason.values();

  private final String queueName;
  private final MessageLog log;
  private final QueueStore store;
  private final Executor mailbox;
  private final Target target;
  private boolean abandoned;
  private MessageRuns live;
  private RecoveredLog found;
  private long nextId;
  private int recovered;

  QueueRecovery(
      String queueName, MessageLog log, QueueStore store, Executor mailbox, Target target) {
    this.queueName = queueName;
    this.log = log;
    this.store = store;
    this.mailbox = mailbox;
    this.target = target;
  }

  /** Asks the log what it holds; the rest follows in the queue's mailbox. */
  void start() {
    log.recover()
        .whenComplete(
            (found, error) -> ReadBack.handBack(mailbox, null, () -> listed(found, error)));
  }

  /** The queue no longer wants what is still to come (deleted, or no longer the log's leader). */
  void abandon() {
    abandoned = true;
  }

  private void listed(RecoveredLog found, Throwable error) {
    if (abandoned) {
      return;
    }
    if (error != null) {
      long again = log.recoverRetryMillis();
      if (again < 0) {
        target.failed(error);
        return;
      }
      LOG.warn(
          "queue '{}': its log did not say what it holds ({}); asked again in {} ms",
          queueName,
          error.toString(),
          again);
      CompletableFuture.delayedExecutor(again, TimeUnit.MILLISECONDS, mailbox)
          .execute(
              () -> {
                if (!abandoned) {
                  start();
                }
              });
      return;
    }
    this.found = found;
    live = found.messages();
    nextId = found.nextId();
    readFrom(0);
  }

  private void readFrom(int from) {
    if (from >= live.size()) {
      if (recovered > 0) {
        LOG.debug("queue '{}' recovered {} messages from its log", queueName, recovered);
      }
      target.done(nextId);
      return;
    }
    int n = Math.min(BATCH, live.size() - from);
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = live.id(from + i);
      nextId = Math.max(nextId, ids[i] + 1);
    }
    log.read(ids)
        .whenComplete(
            (read, error) ->
                ReadBack.handBack(mailbox, read, () -> readBack(from, ids, read, error)));
  }

  private void readBack(int from, long[] ids, List<StoredMessage> read, Throwable error) {
    if (abandoned) {
      if (read != null) {
        read.stream().filter(m -> m != null).forEach(StoredMessage::release);
      }
      return;
    }
    if (error != null) {
      LOG.error(
          "queue '{}': cannot read {} recovered messages from its log; they stay there",
          queueName,
          ids.length,
          error);
    } else {
      for (int i = 0; i < ids.length; i++) {
        StoredMessage stored = read.get(i);
        if (stored != null) { // else acked since the log listed it
          handOver(ids[i], live.redelivered(from + i), stored);
        }
      }
    }
    readFrom(from + ids.length);
  }

  private void handOver(long id, boolean redelivered, StoredMessage stored) {
    StoredForm.Restored restored;
    try {
      restored = store.restore(stored);
    } catch (RuntimeException bad) {
      LOG.error("queue '{}': cannot restore message {}; it stays in the log", queueName, id, bad);
      return;
    }
    if (!restored.message().persistent()) {
      // An older broker logged transient messages it paged out: they do not survive a restart.
      restored.message().release();
      log.ack(id);
      return;
    }
    recovered++;
    int deliveries = redelivered ? Math.max(1, found.deliveryCount(id)) : 0;
    int reason = found.deadLettering(id);
    DeadLetterSink.Reason deadLettering =
        reason >= 0 && reason < REASONS.length ? REASONS[reason] : null;
    target.recovered(id, new Found(deliveries, deadLettering), restored);
  }
}
