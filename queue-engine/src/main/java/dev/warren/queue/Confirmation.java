package dev.warren.queue;

/**
 * The publisher's side of one publish: each queue the message was routed to settles it once, on the
 * queue's owner thread, when the message is safe there (DESIGN.md section 4) or refused.
 */
@FunctionalInterface
public interface Confirmation {
  void settle(boolean accepted);
}
