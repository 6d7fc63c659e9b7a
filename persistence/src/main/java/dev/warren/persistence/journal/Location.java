package dev.warren.persistence.journal;

/**
 * Where a stored message is: a handle that the journal keeps up to date when compaction moves the
 * message to another segment, so a queue can keep it as its index entry for the message and page
 * the message back with {@link Journal#read(Location)} at any time until it acks it.
 *
 * <p>Threads: the position is published through a volatile field (any thread may read it); the
 * other state is owned by the journal writer thread.
 */
public final class Location {

  /** Segment id meaning "none". */
  static final long NONE = -1;

  /** Where the message's ENQUEUE record is now; replaced as a whole when it moves. */
  record Position(long segment, long offset, int length) {}

  private final long queueId;
  private final long messageId;
  private volatile Position position;

  /** Writer thread: the message was delivered (a DELIVERED record or flag is stored). */
  boolean delivered;

  /** Writer thread: the segment holding the live DELIVERED record of this message, or NONE. */
  long markerSegment = NONE;

  /**
   * Writer thread: segments that still hold an older copy of the message (recovery found a
   * compaction interrupted before its delete), or null. A tombstone for the message must outlive
   * them too.
   */
  long[] shadows;

  Location(long queueId, long messageId) {
    this.queueId = queueId;
    this.messageId = messageId;
  }

  public long queueId() {
    return queueId;
  }

  public long messageId() {
    return messageId;
  }

  /** The id of the segment that holds the message now. */
  public long segment() {
    return position.segment();
  }

  /** The offset of the message's record in {@link #segment()}. */
  public long offset() {
    return position.offset();
  }

  Position position() {
    return position;
  }

  void moveTo(Position to) {
    position = to;
  }

  @Override
  public String toString() {
    Position p = position;
    return "queue " + queueId + " message " + messageId + (p == null ? "" : " at " + p);
  }
}
