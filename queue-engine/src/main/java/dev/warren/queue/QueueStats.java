package dev.warren.queue;

/**
 * A queue's figures as its own thread last published them (after each batch of its commands in
 * which something changed): what management reads, from any thread, without disturbing the queue.
 * Immutable. Counters count from the queue's creation (or the broker's start, for a recovered
 * queue).
 *
 * @param ready messages waiting for a consumer (paged out ones included)
 * @param unacked messages delivered and not yet settled
 * @param readyBytes body bytes of the ready messages
 * @param unackedBytes body bytes of the unacked messages
 * @param persistent messages held (ready and unacked) that the queue's log holds: persistent
 *     messages of a durable queue
 * @param consumers consumers registered (a single active consumer's waiting ones included)
 * @param published messages the queue took in (publishes and dead letters routed to it)
 * @param delivered deliveries to consumers that must ack
 * @param deliveredNoAck deliveries to no-ack consumers
 * @param gets basic.get answers with a message, that must be acked
 * @param getsNoAck basic.get answers with a message, no-ack
 * @param redelivered deliveries and gets of a message delivered before
 * @param acked messages acknowledged
 * @param deadLettered messages handed to the dead-letter exchange
 * @param dropped messages that left unread: expired, dropped by a length limit, refused at publish
 *     or rejected, without a dead-letter exchange
 * @param state where the queue is in its life
 */
public record QueueStats(
    int ready,
    int unacked,
    long readyBytes,
    long unackedBytes,
    int persistent,
    int consumers,
    long published,
    long delivered,
    long deliveredNoAck,
    long gets,
    long getsNoAck,
    long redelivered,
    long acked,
    long deadLettered,
    long dropped,
    State state) {

  /** A queue's life: it serves clients only while {@link #RUNNING}. */
  public enum State {
    /** Rebuilding itself from its log (at start-up, or on becoming its log's leader). */
    RECOVERING,
    RUNNING,
    /** Its node no longer leads its log: another node's copy serves. */
    STANDBY,
    /** Its log is gone for this node: it refuses everything. */
    UNAVAILABLE,
    DELETED
  }

  /** A new queue's figures. */
  static QueueStats initial(State state) {
    return new QueueStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, state);
  }

  /**
   * The figures now: these if nothing they show changed (no new object after a batch that changed
   * nothing), else new ones read from the queue's messages.
   */
  QueueStats next(QueueMessages messages, int consumers, State state) {
    QueueCounters c = messages.counters();
    int ready = messages.readyCount();
    int unacked = messages.unackedCount();
    int persistent = messages.persistentCount();
    if (this.state == state
        && this.ready == ready
        && this.unacked == unacked
        && this.persistent == persistent
        && this.consumers == consumers
        && published == c.published
        && deliveries() == c.deliveries()
        && acked == c.acked
        && deadLettered == c.deadLettered
        && dropped == c.dropped) {
      return this;
    }
    return new QueueStats(
        ready,
        unacked,
        messages.readyBytes(),
        messages.unackedBytes(),
        persistent,
        consumers,
        c.published,
        c.delivered,
        c.deliveredNoAck,
        c.gets,
        c.getsNoAck,
        c.redelivered,
        c.acked,
        c.deadLettered,
        c.dropped,
        state);
  }

  /** Messages handed out: deliveries and gets, acked or not. */
  public long deliveries() {
    return delivered + deliveredNoAck + gets + getsNoAck;
  }

  /** Messages held: ready and unacked. */
  public int messages() {
    return ready + unacked;
  }
}
