package dev.warren.queue;

import java.util.List;

/**
 * Who among a queue's consumers takes the next message: all of them by priority and in turn ({@link
 * ConsumerSet}), or one at a time ({@link SingleActiveConsumer}). Owner: the queue's thread.
 */
interface ConsumerSelection {
  void add(QueueConsumer c);

  /** Returns whether {@code c} was there. */
  boolean remove(QueueConsumer c);

  /** Every consumer, active or waiting. */
  int size();

  List<QueueConsumer> all();

  /** The consumer that takes the next message, with room reserved, or null if none can. */
  QueueConsumer reserveNext();

  /**
   * After {@link #reserveNext} found none: whether every consumer that could take the next message
   * waits for its connection (none is limited by its prefetch, or stopping).
   */
  boolean allWaitForConnection();
}
