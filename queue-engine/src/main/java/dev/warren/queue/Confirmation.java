package dev.warren.queue;

/**
 * The publisher's side of one publish: each queue the message was routed to settles it once, when
 * the message is safe there (DESIGN.md section 4) or refused: on the queue's thread, or on the
 * journal's thread once a persistent message is stored. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Confirmation {
  void settle(boolean accepted);
}
