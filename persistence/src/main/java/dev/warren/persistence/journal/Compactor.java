package dev.warren.persistence.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives space back. Owner: the journal writer thread, between batches.
 *
 * <p>A sealed segment with nothing live and no needed tombstone is deleted. A sealed segment under
 * half live is compacted: its live ENQUEUE records (with the delivered flag folded in) and live
 * DELIVERED records are copied to the head, the head is forced, then the segment is deleted.
 * Tombstones are never copied: a segment is compacted only once no segment its tombstones point to
 * exists; when one does, that older segment is compacted first (it is what keeps the space).
 *
 * <p>Crash safety: until the force, the copies may be lost, and the originals are still there;
 * after the force and before the delete, recovery sees both copies of a message, keeps the newer,
 * and finishes the compaction before the journal opens. Deletion is durable before anything that
 * depended on it is deleted.
 */
final class Compactor {

  private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);

  private final SegmentLog log;
  private final LiveIndex index;

  Compactor(SegmentLog log, LiveIndex index) {
    this.log = log;
    this.index = index;
  }

  /** Deletes every dead segment, then compacts at most one segment; says if it compacted one. */
  boolean run() throws IOException {
    deleteDead();
    Segment next = nextToCompact();
    if (next == null) {
      return false;
    }
    compact(next);
    deleteDead();
    return true;
  }

  void deleteDead() throws IOException {
    for (Segment s : new ArrayList<>(log.segments().values())) {
      if (s.sealed && s.liveRecords == 0 && s.targets.isEmpty()) {
        log.delete(s);
      }
    }
  }

  /**
   * The oldest segment among those that want to go (mostly dead, or holding only tombstones, or
   * left over by an interrupted compaction) and the segments their tombstones wait for.
   */
  private Segment nextToCompact() {
    Deque<Long> work = new ArrayDeque<>();
    for (Segment s : log.segments().values()) {
      if (s.sealed && !s.damaged && (s.mostlyDead() || s.mustCompact)) {
        work.add(s.id);
      }
    }
    TreeSet<Long> wanted = new TreeSet<>();
    while (!work.isEmpty()) {
      long id = work.poll();
      if (wanted.add(id)) {
        work.addAll(log.segment(id).targets.keySet());
      }
    }
    for (long id : wanted) {
      Segment s = log.segment(id);
      if (s.sealed && !s.damaged && s.targets.isEmpty() && s.liveRecords > 0) {
        return s;
      }
    }
    return null;
  }

  /** Compacts one sealed segment whose tombstones are no longer needed. */
  void compact(Segment segment) throws IOException {
    if (!segment.targets.isEmpty()) {
      throw new IllegalStateException(segment + " still has needed tombstones");
    }
    List<RecordMeta> records = records(segment);
    if (records == null) {
      return;
    }
    List<RecordMeta> live = new ArrayList<>();
    for (RecordMeta r : records) {
      LiveIndex.Chunk chunk = index.live(r.queueId(), r.messageId());
      if (chunk == null) {
        continue;
      }
      if (r.type() == RecordType.ENQUEUE && at(chunk, r)) {
        if (readRecord(segment, r) == null) {
          return;
        }
        live.add(r);
      } else if (r.type() == RecordType.DELIVERED
          && LiveIndex.markerSegment(chunk, r.messageId()) == segment.id) {
        live.add(r);
      }
    }
    for (RecordMeta r : live) {
      LiveIndex.Chunk chunk = index.live(r.queueId(), r.messageId());
      if (r.type() == RecordType.ENQUEUE) {
        ByteBuffer record = readRecord(segment, r);
        if (record == null) {
          throw new IOException(segment.file.name() + " changed while compacting it");
        }
        if (chunk.delivered(LiveIndex.at(r.messageId())) && !r.delivered()) {
          record.put(Records.FLAGS_OFFSET, (byte) (r.flags() | Records.FLAG_DELIVERED));
          Records.reseal(record);
        }
        byte flags = record.get(Records.FLAGS_OFFSET);
        RecordMeta to =
            log.append(
                RecordType.ENQUEUE, r.queueId(), r.messageId(), flags, record.getInt(4), record);
        index.moved(chunk, r.messageId(), to);
      } else if (LiveIndex.markerSegment(chunk, r.messageId()) == segment.id) {
        ByteBuffer marker = Records.control(RecordType.DELIVERED, r.queueId(), r.messageId());
        RecordMeta to =
            log.append(
                RecordType.DELIVERED,
                r.queueId(),
                r.messageId(),
                (byte) 0,
                marker.getInt(4),
                marker);
        index.marked(chunk, r.messageId(), to);
      }
    }
    log.flush();
    log.force();
    if (segment.liveRecords != 0) {
      throw new IllegalStateException("compaction left live records in " + segment);
    }
    LOG.info("compacted segment {}: {} live records copied", segment.id, live.size());
    log.delete(segment);
  }

  /** Whether the live message's ENQUEUE record is {@code r} (not an older copy). */
  private static boolean at(LiveIndex.Chunk chunk, RecordMeta r) {
    int i = LiveIndex.at(r.messageId());
    return chunk.segment[i] == r.segment() && chunk.offset[i] == r.offset();
  }

  /** The records of a sealed segment, from its summary or by scanning it; null if unreadable. */
  private List<RecordMeta> records(Segment segment) throws IOException {
    List<RecordMeta> fromSummary = log.summary(segment);
    if (fromSummary != null) {
      return fromSummary;
    }
    SegmentScanner.Result scan = SegmentScanner.scan(segment.file, segment.id);
    if (!scan.clean()) {
      damaged(segment, scan.validEnd(), "invalid record");
      return null;
    }
    return scan.records();
  }

  private ByteBuffer readRecord(Segment segment, RecordMeta r) throws IOException {
    ByteBuffer record = ByteBuffer.allocate(r.length());
    SegmentScanner.readFully(segment.file, record, r.offset());
    record.flip();
    RecordMeta check = Records.decode(segment.id, r.offset(), record);
    if (check == null || check.crc() != r.crc() || check.messageId() != r.messageId()) {
      damaged(segment, r.offset(), "corrupt record");
      return null;
    }
    return record;
  }

  private void damaged(Segment segment, long offset, String what) throws IOException {
    segment.damaged = true;
    LOG.error(
        "cannot compact: {}",
        new JournalCorruptionException(segment.file.name(), offset, what).getMessage());
  }
}
