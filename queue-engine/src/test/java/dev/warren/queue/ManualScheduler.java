package dev.warren.queue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A clock the test moves by hand and timers the test fires by hand. Remembers how many timers were
 * pending at once, at most, and how many were ever scheduled.
 */
final class ManualScheduler implements Scheduler {
  private static final class Timer {
    final long due;
    final Runnable task;
    boolean cancelled;

    Timer(long due, Runnable task) {
      this.due = due;
      this.task = task;
    }
  }

  private final List<Timer> pending = new ArrayList<>();
  private long now = 1_000;
  private int scheduled;
  private int mostPendingAtOnce;

  @Override
  public long nowMillis() {
    return now;
  }

  /** The epoch clock moves with the monotonic one, from a fixed day in 2026. */
  @Override
  public long epochMillis() {
    return 1_780_000_000_000L + now;
  }

  @Override
  public Cancellable schedule(Runnable task, long delayMillis) {
    Timer timer = new Timer(now + delayMillis, task);
    pending.add(timer);
    scheduled++;
    mostPendingAtOnce = Math.max(mostPendingAtOnce, pending.size());
    return () -> {
      timer.cancelled = true;
      pending.remove(timer);
    };
  }

  /** Moves the clock forward without firing anything. */
  void advance(long millis) {
    now += millis;
  }

  /** Moves the clock forward and fires every timer due by then, in order of due time. */
  void advanceAndFire(long millis) {
    advance(millis);
    fireDue();
  }

  /** Fires every timer due now, including those the fired ones schedule for now. */
  void fireDue() {
    while (true) {
      Timer next =
          pending.stream()
              .filter(t -> t.due <= now)
              .min(Comparator.comparingLong(t -> t.due))
              .orElse(null);
      if (next == null) {
        return;
      }
      pending.remove(next);
      next.task.run();
    }
  }

  /** When the earliest pending timer is due, or -1. */
  long nextDue() {
    return pending.stream().mapToLong(t -> t.due).min().orElse(-1);
  }

  int pending() {
    return pending.size();
  }

  int scheduled() {
    return scheduled;
  }

  int mostPendingAtOnce() {
    return mostPendingAtOnce;
  }
}
