package dev.warren.queue;

import java.util.Arrays;
import java.util.concurrent.Executor;

/**
 * Dead letters a target queue refused (its length limit with {@code reject-publish}), for a message
 * the source's log still holds: each is tried again after {@value #RETRY_MILLIS} ms, read back from
 * the log as a paged-out dead letter is ({@link PagedDeadLetters}), until every target accepts it.
 * So dead-lettering is at-least-once also against a full target: the source forgets a logged
 * message only once its dead letter is safe. Those waiting cost 9 bytes each (id and reason).
 *
 * <p>Owner: the queue's thread; the timer hops into the queue's mailbox.
 */
final class DeadLetterRetries {
  /** How long a refused dead letter waits before it is tried again. */
  static final long RETRY_MILLIS = 1000;

  private static final DeadLetterSink.Reason[] REASONS = DeadLetterSink.Reason.values();

  private final Scheduler scheduler;
  private final Executor mailbox;
  private final PagedDeadLetters again;

  /** Empty until the first refusal: most queues never have one (100,000 queues, 100,000 arrays). */
  private long[] ids = new long[0];

  private byte[] reasons = new byte[0];
  private int size;
  private Scheduler.Cancellable timer;

  DeadLetterRetries(Scheduler scheduler, Executor mailbox, PagedDeadLetters again) {
    this.scheduler = scheduler;
    this.mailbox = mailbox;
    this.again = again;
  }

  /** A target refused the dead letter of logged message {@code id}: it is tried again later. */
  void refused(long id, DeadLetterSink.Reason reason) {
    if (size == ids.length) {
      int capacity = Math.max(16, size * 2);
      ids = Arrays.copyOf(ids, capacity);
      reasons = Arrays.copyOf(reasons, capacity);
    }
    ids[size] = id;
    reasons[size] = (byte) reason.ordinal();
    size++;
    if (timer == null) {
      timer = scheduler.schedule(() -> mailbox.execute(this::retry), RETRY_MILLIS);
    }
  }

  /** Dead letters waiting to be tried again. */
  int waiting() {
    return size;
  }

  /** The queue is gone or stopped: nothing is tried again (the log keeps what it holds). */
  void cancel() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
    size = 0;
  }

  private void retry() {
    timer = null;
    int n = size;
    size = 0;
    for (int i = 0; i < n; i++) {
      again.add(ids[i], false, REASONS[reasons[i]]);
    }
  }
}
