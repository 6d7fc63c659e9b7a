package dev.warren.queue;

import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Holds a queue's publishers back, rather than paging new messages out, while its consumers take
 * messages as fast as their connections carry them.
 *
 * <p>Paging a message out and reading it back costs a journal write and a read, more than the
 * publisher spent on it. A queue that starts paging while its consumers keep taking would page
 * every later message (they queue behind the paged-out ones), fall further behind and never catch
 * up; a consumer that is merely a little slower than its publisher is better served by slowing the
 * publisher. So when the resident part of the queue is over the pager's budget and the last
 * dispatch stopped because every consumer waited for its connection to drain, a new message stays
 * in memory and the publishers are asked to pause ({@link MessageQueue#overloaded}); they go on
 * once the resident part is down to half the budget, or the consumers no longer all wait for their
 * connections. Past twice the budget messages page out even so (dead letters and what paused
 * publishers had sent already still arrive).
 *
 * <p>Publishers are never held for consumers limited by their prefetch (an application working
 * through a backlog: that backlog pages, as in RabbitMQ), and not for long for consumers that stop
 * taking: after {@value #PATIENCE_MILLIS} ms without a delivery the queue lets its publishers go
 * and pages, until it is down to half the budget again.
 *
 * <p>Owner: the queue's thread; {@link #holding} is read by publishers on theirs.
 */
final class Pacing {
  /** How long publishers stay held while nothing is delivered. */
  static final long PATIENCE_MILLIS = 1000;

  private final Scheduler scheduler;
  private final Executor mailbox;
  private final LongSupplier deliveries;
  private volatile boolean holding;
  private boolean gaveUp;
  private long deliveriesAtCheck;
  private Scheduler.Cancellable check;
  private Object armed; // the timer that counts, so that one fired after a release is ignored

  /**
   * @param deliveries how many messages the queue has delivered so far
   */
  Pacing(Scheduler scheduler, Executor mailbox, LongSupplier deliveries) {
    this.scheduler = scheduler;
    this.mailbox = mailbox;
    this.deliveries = deliveries;
  }

  /** Any thread: whether publishers should pause. */
  boolean holding() {
    return holding;
  }

  /**
   * A new message would page out because the resident part is over budget: true when the queue
   * holds its publishers instead, and keeps the message in memory.
   *
   * @param consumersWaitForConnection the last dispatch stopped because every consumer waited for
   *     its connection to drain
   */
  boolean holdInstead(boolean consumersWaitForConnection) {
    if (gaveUp || !consumersWaitForConnection) {
      return false;
    }
    if (!holding) {
      holding = true;
      deliveriesAtCheck = deliveries.getAsLong();
      arm();
    }
    return true;
  }

  /**
   * After each batch of the queue's commands: lets the publishers go once the resident part is down
   * to half the budget, or the consumers no longer all wait for their connections (gone, cancelled,
   * or now limited by their prefetch).
   */
  void afterBatch(boolean underHalfBudget, boolean consumersWaitForConnection) {
    if (underHalfBudget) {
      gaveUp = false;
    }
    if (holding && (underHalfBudget || !consumersWaitForConnection)) {
      release();
    }
  }

  private void release() {
    holding = false;
    armed = null;
    if (check != null) {
      check.cancel();
      check = null;
    }
  }

  private void arm() {
    Object timer = new Object();
    armed = timer;
    check = scheduler.schedule(() -> mailbox.execute(() -> checkProgress(timer)), PATIENCE_MILLIS);
  }

  private void checkProgress(Object timer) {
    if (timer != armed) {
      return;
    }
    long now = deliveries.getAsLong();
    if (now == deliveriesAtCheck) {
      gaveUp = true;
      release();
    } else {
      deliveriesAtCheck = now;
      arm();
    }
  }
}
