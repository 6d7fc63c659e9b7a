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

  // In a cluster, single active consumer only (see SingleActiveConsumer): the defaults are those of
  // a queue whose consumers all receive.

  /** A consumer as this node puts it forward to the node that leads the queue's log. */
  record Candidate(long serial, int priority) {
    static final Candidate NONE = new Candidate(0, 0);
  }

  /** The consumer this node puts forward, or {@link Candidate#NONE}. */
  default Candidate candidate() {
    return Candidate.NONE;
  }

  /** {@code c}'s serial, which names it to the node that leads; 0 when it needs none. */
  default long serial(QueueConsumer c) {
    return 0;
  }

  /**
   * Node {@code node} puts forward its consumer {@code id} (0: none any more) instead of the one
   * before. Returns whether the consumer that receives changed.
   */
  default boolean contend(String node, long id, int priority) {
    return false;
  }

  /**
   * Forgets every other node's consumer (this node stopped leading); whether the active changed.
   */
  default boolean forgetRemote() {
    return false;
  }

  /** Whether a GET node {@code node} sends for its consumer {@code id} may take messages. */
  default boolean mayServe(String node, long id) {
    return true;
  }
}
