package dev.warren.queue;

/**
 * Time for a queue: the clock and one-shot timers (TTL, queue expiry). The broker backs it with the
 * queue's event loop; tests with a clock they move by hand. Timers run {@code task} on any thread;
 * the queue hops to its own mailbox.
 */
public interface Scheduler {
  /** Milliseconds on a monotonic clock. */
  long nowMillis();

  /** Runs {@code task} once after {@code delayMillis}; the returned handle cancels it. */
  Cancellable schedule(Runnable task, long delayMillis);

  /** A timer that may be called off. */
  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }
}
