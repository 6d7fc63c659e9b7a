package dev.warren.queue;

/**
 * Time for a queue: its only clocks, and one-shot timers (TTL, queue expiry). The broker backs it
 * with the queue's event loop; tests with clocks they move by hand. Timers run {@code task} on any
 * thread; the queue hops to its own mailbox.
 */
public interface Scheduler {
  /** Milliseconds on a monotonic clock: deadlines and leases. */
  long nowMillis();

  /**
   * Milliseconds since the epoch: the publish time a queue stores with a message, which outlives a
   * restart (a message's TTL counts from it again then).
   */
  long epochMillis();

  /** Runs {@code task} once after {@code delayMillis}; the returned handle cancels it. */
  Cancellable schedule(Runnable task, long delayMillis);

  /** A timer that may be called off. */
  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }
}
