package dev.warren.queue;

/**
 * A queue's running totals, counted by its own thread and copied into each {@link QueueStats} it
 * publishes. Owner: the queue's thread; plain fields.
 */
final class QueueCounters {
  long published;
  long delivered;
  long deliveredNoAck;
  long gets;
  long getsNoAck;
  long redelivered;
  long acked;
  long deadLettered;
  long dropped;

  /** A message left the ready list for a consumer ({@code get}: for a basic.get). */
  void taken(boolean noAck, boolean get, boolean wasDelivered) {
    if (get) {
      if (noAck) {
        getsNoAck++;
      } else {
        gets++;
      }
    } else if (noAck) {
      deliveredNoAck++;
    } else {
      delivered++;
    }
    if (wasDelivered) {
      redelivered++;
    }
  }

  /** Messages handed out so far, to consumers and basic.gets. */
  long deliveries() {
    return delivered + deliveredNoAck + gets + getsNoAck;
  }
}
