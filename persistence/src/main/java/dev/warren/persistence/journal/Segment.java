package dev.warren.persistence.journal;

import java.util.HashMap;
import java.util.Map;

/**
 * The journal's bookkeeping of one segment file. Owner: the journal writer thread (the opening
 * thread during recovery).
 *
 * <p>A record is live while recovery needs it: an ENQUEUE of a message not yet acked, purged or
 * deleted, and the DELIVERED record that marks such a message. Tombstones (ACK, PURGE,
 * DELETE_QUEUE) are needed while a segment holding a record they remove still exists: {@link
 * #targets} counts them per such segment, and a segment is deleted only when nothing of it is live
 * or needed.
 */
final class Segment {

  final long id;
  final SegmentFile file;

  /** Bytes appended, header included (the file's size once the pending batch is written). */
  long size;

  boolean sealed;
  int liveRecords;
  long liveBytes;

  /** Segment id -> how many tombstones of this segment remove records of that segment. */
  final Map<Long, Integer> targets = new HashMap<>();

  /** Records of the head segment, for its summary when it is sealed; null once sealed. */
  SegmentFormat.Summary records = new SegmentFormat.Summary();

  /** Holds an older copy of a message that compaction had copied when the process died. */
  boolean mustCompact;

  /** Compaction found a record it could not read; the segment stays as it is. */
  boolean damaged;

  Segment(long id, SegmentFile file, long size) {
    this.id = id;
    this.file = file;
    this.size = size;
  }

  void addLive(int bytes) {
    liveRecords++;
    liveBytes += bytes;
  }

  void removeLive(int bytes) {
    liveRecords--;
    liveBytes -= bytes;
  }

  void addTarget(long segmentId) {
    if (segmentId != id) {
      targets.merge(segmentId, 1, Integer::sum);
    }
  }

  /** Less than half of the records' bytes are live. */
  boolean mostlyDead() {
    return liveBytes * 2 < size - SegmentFormat.HEADER;
  }

  @Override
  public String toString() {
    return "segment " + id + " (" + liveRecords + " live, " + liveBytes + "/" + size + " bytes)";
  }
}
