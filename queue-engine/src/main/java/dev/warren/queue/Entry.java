package dev.warren.queue;

/**
 * One message as a queue holds it, from publish to ack: ready, out to a consumer (unacked), or dead
 * (expired or dropped while still linked in a ready lane, and skipped when reached). Mutable, so a
 * requeue puts the same object back and keeps its id, priority, deadline and delivery count.
 *
 * <p>A ready entry whose message a store holds ({@link #logged} or {@link #spilled}) may be paged
 * out: its message is dropped from memory and read back before it is delivered ({@link Pager}).
 * Deep in a lane, a paged-out message is not even an entry: its {@link PagedTail} keeps its fields,
 * and makes it an entry again as it nears the head.
 *
 * <p>Owner: the queue's thread. Buffers: while ready (and resident) or unacked the entry owns one
 * reference to {@code message}; once dead or paged out, {@code message} is null (the reference went
 * to the dead-letter sink or was released).
 */
final class Entry {
  /** Where the entry is. Ready lanes hold READY and DEAD entries; the unacked table holds OUT. */
  enum State {
    READY,
    OUT,
    DEAD
  }

  /** A deadline that never comes. */
  static final long NO_DEADLINE = Long.MAX_VALUE;

  final long id;

  /** 0-255; a short, so that with {@link #enqueuedAt} the object still takes 64 bytes. */
  final short priority;

  /**
   * When the message joined the queue (the queue's monotonic milliseconds; for a recovered one, now
   * minus its age): a changed queue TTL counts from here ({@link MessageExpiry#queueTtl}).
   */
  final long enqueuedAt;

  /**
   * When the entry expires (monotonic milliseconds), or {@link #NO_DEADLINE}. Set at publish; a
   * requeue keeps it; only a change of the queue's TTL moves it.
   */
  long deadline;

  /** The deadline comes from the message's own expiration, not the queue's TTL alone. */
  boolean ownExpiry;

  /** Body bytes, also while paged out. */
  final int bodySize;

  /** The message was appended to the queue's log (it may still be on its way to the disk). */
  boolean logged;

  /** The message was written to the queue's spill store to be paged out (not to the log). */
  boolean spilled;

  Message message;
  State state = State.READY;
  boolean redelivered;
  int deliveryCount;

  /** Ready without its message in memory (the {@link Pager} counts it). */
  boolean pagedOut;

  /** Position in the {@link ExpiryIndex} heap, or -1 when not in it. */
  int heapIndex = -1;

  Entry(long id, Message message, int priority, long enqueuedAt, long deadline, boolean ownExpiry) {
    this(id, message, message.bodySize(), priority, enqueuedAt, deadline, ownExpiry);
  }

  private Entry(
      long id,
      Message message,
      int bodySize,
      int priority,
      long enqueuedAt,
      long deadline,
      boolean ownExpiry) {
    this.id = id;
    this.message = message;
    this.priority = (short) priority;
    this.enqueuedAt = enqueuedAt;
    this.deadline = deadline;
    this.ownExpiry = ownExpiry;
    this.bodySize = bodySize;
  }

  /** A ready entry whose message is only in the log, or in the spill store when {@code spilled}. */
  static Entry pagedOut(
      long id,
      int bodySize,
      int priority,
      long enqueuedAt,
      long deadline,
      boolean ownExpiry,
      boolean spilled) {
    Entry e = new Entry(id, null, bodySize, priority, enqueuedAt, deadline, ownExpiry);
    e.logged = !spilled;
    e.spilled = spilled;
    e.pagedOut = true;
    return e;
  }

  /** Whether a store holds the message: the log, or the spill store. */
  boolean stored() {
    return logged || spilled;
  }

  long id() {
    return id;
  }

  Message message() {
    return message;
  }

  boolean redelivered() {
    return redelivered;
  }

  boolean expiredAt(long now) {
    return deadline <= now;
  }

  /** Hands the message over (to a sink or a release) and leaves the entry empty. */
  Message takeMessage() {
    Message m = message;
    message = null;
    return m;
  }
}
