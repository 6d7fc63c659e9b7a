package dev.warren.queue;

import java.util.concurrent.Executor;

/**
 * The {@code x-expires} lease of a queue: the queue deletes itself once it has gone {@code millis}
 * without consumers and without a use (basic.get, basic.consume, a redeclare). Publishing is no
 * use.
 *
 * <p>One timer at most, and none while consumers exist. A use only records the time; the timer,
 * when it fires early because of a later use, re-arms itself for the rest of the lease. So a busy
 * queue costs one timer per lease period, not one per use.
 *
 * <p>Owner: the queue's thread; the timer may fire on any thread and hops into the queue's mailbox.
 */
final class Lease {
  private final long millis;
  private final Scheduler scheduler;
  private final Executor mailbox;
  private final Runnable expire;
  private long lastUse;
  private boolean held;
  private Scheduler.Cancellable timer;
  private Object generation;

  /**
   * @param expire run on the queue's thread when the lease runs out
   */
  Lease(long millis, Scheduler scheduler, Executor mailbox, Runnable expire) {
    this.millis = millis;
    this.scheduler = scheduler;
    this.mailbox = mailbox;
    this.expire = expire;
  }

  /** A use: the lease starts again from now. */
  void renew() {
    lastUse = scheduler.nowMillis();
    if (!held && timer == null) {
      arm(millis);
    }
  }

  /** Consumers came: the queue is in use until {@link #release}. */
  void hold() {
    held = true;
    cancel();
  }

  /** The last consumer left: the lease starts again from now. */
  void release() {
    held = false;
    renew();
  }

  void cancel() {
    if (timer != null) {
      timer.cancel();
    }
    timer = null;
    generation = null;
  }

  private void arm(long delay) {
    Object armed = new Object();
    generation = armed;
    timer = scheduler.schedule(() -> mailbox.execute(() -> fired(armed)), delay);
  }

  private void fired(Object armed) {
    if (armed != generation) {
      return;
    }
    timer = null;
    generation = null;
    if (held) {
      return;
    }
    long left = lastUse + millis - scheduler.nowMillis();
    if (left > 0) {
      arm(left);
    } else {
      expire.run();
    }
  }
}
