package dev.warren.persistence.journal;

/**
 * A stored message: its queue and message id, and where its record was when this value was made
 * (compaction may move it since; {@link Journal#read(Location)} finds it by id wherever it is). The
 * journal keeps no object per message: this is a value made on demand ({@code Journal.locate}) and
 * by recovery.
 *
 * @param segment the segment that held the record, or -1 when not known (recovered messages)
 * @param offset the record's offset in {@code segment}, or -1 when not known
 */
public record Location(long queueId, long messageId, long segment, long offset) {

  /** A message known by its ids only. */
  static Location of(long queueId, long messageId) {
    return new Location(queueId, messageId, -1, -1);
  }

  @Override
  public String toString() {
    return "queue " + queueId + " message " + messageId;
  }
}
