package dev.warren.queue;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A prefetch window (basic.qos): how many deliveries may be out unacknowledged. A queue thread
 * acquires, the consumer's channel thread releases on ack, so both sides are atomic. A limit of 0
 * means unlimited, as in AMQP.
 */
public final class Credit {
  private final AtomicInteger outstanding = new AtomicInteger();
  private volatile int limit;

  public Credit(int limit) {
    this.limit = limit;
  }

  /** Takes one unit if the window has room (any thread). */
  public boolean tryAcquire() {
    while (true) {
      int now = outstanding.get();
      int max = limit;
      if (max != 0 && now >= max) {
        return false;
      }
      if (outstanding.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  /**
   * Gives back {@code n} units (acks, or a unit acquired and not used). Returns true when the
   * window had been full, so the caller must tell the queues to resume.
   */
  public boolean release(int n) {
    int before = outstanding.getAndAdd(-n);
    int max = limit;
    return max != 0 && before >= max;
  }

  /**
   * Changes the window; outstanding deliveries count against the new one. Returns true when it
   * grew, so queues may have more to send.
   */
  public boolean resize(int newLimit) {
    int old = limit;
    limit = newLimit;
    return newLimit == 0 ? old != 0 : old != 0 && newLimit > old;
  }

  /** A window of 0: no limit. */
  public boolean unlimited() {
    return limit == 0;
  }

  public boolean hasRoom() {
    int max = limit;
    return max == 0 || outstanding.get() < max;
  }
}
