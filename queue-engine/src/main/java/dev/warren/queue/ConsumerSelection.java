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

  // In a cluster: the consumers of other nodes, as the node that leads the queue's log sees them
  // (SingleActiveConsumer's contenders, ConsumerSet's RemoteAppetite).

  /** What a pull for a consumer of a queue whose consumers all receive names it by. */
  long ANY = -1;

  /** What a pull names when the sender's consumers have no room: it wants none, takes none. */
  long SATED = -2;

  /** A consumer as this node puts it forward to be the single active one. */
  record Candidate(long serial, int priority) {
    static final Candidate NONE = new Candidate(0, 0);
  }

  /** The consumer this node puts forward to the node that leads, or {@link Candidate#NONE}. */
  default Candidate candidate() {
    return Candidate.NONE;
  }

  /**
   * Node {@code node} puts forward its consumer {@code id} (0: none any more) instead of the one
   * before. Returns whether the consumer that receives changed.
   */
  default boolean contend(String node, long id, int priority) {
    return false;
  }

  /**
   * The number that names {@code c} to the node that leads, in its pulls: its serial on a single
   * active consumer queue, {@link #ANY} on others (0 names a basic.get).
   */
  long serial(QueueConsumer c);

  /**
   * Whether a GET node {@code node} sends for its consumer {@code id} ({@link #serial}; 0: a
   * basic.get) of {@code priority} may take messages.
   */
  boolean mayServe(String node, long id, int priority);

  /**
   * Forgets every other node's consumers (this node stopped leading); whether the active changed.
   */
  boolean forgetRemote();
}
