package dev.warren.faults;

import java.util.concurrent.TimeUnit;

/** Spaces calls to at most {@code perSecond} a second; 0 means no limit. One thread only. */
final class Pacer {
  private final long intervalNanos;
  private long next = System.nanoTime();

  Pacer(double perSecond) {
    this.intervalNanos = perSecond <= 0 ? 0 : (long) (TimeUnit.SECONDS.toNanos(1) / perSecond);
  }

  void await() {
    if (intervalNanos == 0) {
      return;
    }
    long now = System.nanoTime();
    // After a stall (a reconnect) the pace resumes; it does not catch up in a burst.
    next = Math.max(next, now - intervalNanos) + intervalNanos;
    long wait = next - now;
    if (wait > 0) {
      Cluster.pause(TimeUnit.NANOSECONDS.toMillis(wait));
    }
  }
}
