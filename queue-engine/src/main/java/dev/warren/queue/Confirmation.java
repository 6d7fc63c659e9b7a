package dev.warren.queue;

/**
 * The publisher's side of one publish: each queue the message was routed to settles it once, when
 * the message is safe there (DESIGN.md section 4) or refused: on the queue's thread, or on the
 * journal's thread once a persistent message is stored. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Confirmation {
  void settle(boolean accepted);

  /** A publish a queue cannot take: the message is dropped, {@code confirm} (if any) refused. */
  static void refuse(Message message, Confirmation confirm) {
    message.release();
    if (confirm != null) {
      confirm.settle(false);
    }
  }

  /**
   * A confirmation shared by {@code count} queues: it settles {@code whole} once all of them have
   * settled it, accepted only if every one accepted. {@code count} must be positive.
   */
  static Confirmation allOf(int count, Confirmation whole) {
    java.util.concurrent.atomic.AtomicInteger left =
        new java.util.concurrent.atomic.AtomicInteger(count);
    java.util.concurrent.atomic.AtomicBoolean refused =
        new java.util.concurrent.atomic.AtomicBoolean();
    return accepted -> {
      if (!accepted) {
        refused.set(true);
      }
      if (left.decrementAndGet() == 0) {
        whole.settle(!refused.get());
      }
    };
  }
}
