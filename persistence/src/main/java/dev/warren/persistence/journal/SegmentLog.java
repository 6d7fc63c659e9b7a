package dev.warren.persistence.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segments of the journal and the head segment that records are appended to. Owner: the journal
 * writer thread. Appends are collected into one gathering write per batch ({@link #flush()}); the
 * head rolls when the next record would not fit, or it holds {@value #MAX_RECORDS} records.
 *
 * <p>Sealing a segment: force it, write and force its summary, then create the next segment with
 * its header and force that. So every segment but the last is complete on disk, and an invalid
 * record in one of them is corruption, never a torn write.
 *
 * <p>Buffer ownership: {@link #append} keeps references to the caller's NIO buffers until {@link
 * #flush()}; the caller must keep their memory valid until then.
 */
final class SegmentLog {

  private static final Logger LOG = LoggerFactory.getLogger(SegmentLog.class);

  /**
   * Records a segment holds at most. The head keeps each record's summary entry in memory until it
   * is sealed; a segment of tiny records (a spilled backlog of small messages) would otherwise keep
   * over a million of them (34 bytes each) for as long as it is the head, however idle the journal.
   */
  static final int MAX_RECORDS = 1 << 16;

  private final FileLayer files;
  private final long segmentSize;
  private final NavigableMap<Long, Segment> segments = new TreeMap<>();
  private final ConcurrentMap<Long, SegmentFile> readable = new ConcurrentHashMap<>();
  private final List<ByteBuffer> pending = new ArrayList<>();
  private Segment head;
  private boolean unforced;
  long highestMessageId;

  SegmentLog(FileLayer files, long segmentSize) {
    this.files = files;
    this.segmentSize = segmentSize;
  }

  /** Recovery: adds an existing segment, oldest first; the last one added becomes the head. */
  void adopt(Segment segment) {
    segments.put(segment.id, segment);
    readable.put(segment.id, segment.file);
    head = segment;
  }

  /** Recovery, when there is no segment at all: creates the first one. */
  void start() throws IOException {
    createHead(1);
  }

  Segment head() {
    return head;
  }

  Segment segment(long id) {
    return segments.get(id);
  }

  NavigableMap<Long, Segment> segments() {
    return segments;
  }

  /** For readers on any thread: the open file of a segment, or null once it is deleted. */
  SegmentFile readable(long id) {
    return readable.get(id);
  }

  boolean unforced() {
    return unforced;
  }

  /**
   * Appends a record (its bytes are {@code parts}) to the head, rolling first if it would not fit;
   * returns where it goes. A record larger than a segment goes into a fresh head of its own, which
   * it makes larger than the segment size. The bytes reach the file at the next {@link #flush()}.
   */
  RecordMeta append(
      RecordType type, long queueId, long messageId, byte flags, int crc, ByteBuffer... parts)
      throws IOException {
    int length = (int) Records.remaining(parts);
    boolean full = head.size + length > segmentSize || head.records.count() >= MAX_RECORDS;
    if (full && head.size > SegmentFormat.HEADER) {
      roll();
    }
    RecordMeta meta =
        new RecordMeta(head.id, head.size, length, crc, type, queueId, messageId, flags);
    head.size += length;
    head.records.add(meta);
    for (ByteBuffer p : parts) {
      pending.add(p);
    }
    if (type == RecordType.ENQUEUE) {
      highestMessageId = Math.max(highestMessageId, messageId);
    }
    return meta;
  }

  /** Writes what was appended since the last flush in one gathering write. */
  void flush() throws IOException {
    if (pending.isEmpty()) {
      return;
    }
    ByteBuffer[] buffers = pending.toArray(new ByteBuffer[0]);
    pending.clear();
    unforced = true;
    head.file.append(buffers);
  }

  /** Makes everything flushed durable: one force of the head (sealed segments already are). */
  void force() throws IOException {
    head.file.force();
    unforced = false;
  }

  private void roll() throws IOException {
    flush();
    force();
    Segment sealed = head;
    writeSummary(sealed, sealed.records.finish(sealed.id, sealed.size));
    sealed.sealed = true;
    sealed.records = null;
    createHead(sealed.id + 1);
    LOG.debug("sealed {}, head is now segment {}", sealed, head.id);
  }

  /** Writes (or rewrites) the summary of a complete segment, durably. */
  void writeSummary(Segment segment, List<RecordMeta> records) throws IOException {
    writeSummary(segment, SegmentFormat.summary(segment.id, segment.size, records));
  }

  private void writeSummary(Segment segment, ByteBuffer summary) throws IOException {
    String name = SegmentFormat.summaryName(segment.id);
    files.delete(name);
    try (SegmentFile f = files.create(name)) {
      f.append(new ByteBuffer[] {summary});
      f.force();
    }
  }

  private void createHead(long id) throws IOException {
    SegmentFile file = files.create(SegmentFormat.segmentName(id));
    file.append(new ByteBuffer[] {SegmentFormat.header(id, highestMessageId)});
    file.force();
    Segment segment = new Segment(id, file, SegmentFormat.HEADER);
    segments.put(id, segment);
    readable.put(id, file);
    head = segment;
    unforced = false;
  }

  /**
   * Deletes a sealed segment and its summary (durably), and forgets the tombstones of other
   * segments that pointed to it.
   */
  void delete(Segment segment) throws IOException {
    if (segment == head) {
      throw new IllegalStateException("the head segment is never deleted");
    }
    segments.remove(segment.id);
    readable.remove(segment.id);
    segment.file.close();
    files.delete(SegmentFormat.summaryName(segment.id));
    files.delete(SegmentFormat.segmentName(segment.id));
    for (Segment other : segments.values()) {
      other.targets.remove(segment.id);
    }
    LOG.debug("deleted {}", segment);
  }

  /** The records of a sealed segment listed by its summary, or null if it has no valid one. */
  List<RecordMeta> summary(Segment segment) {
    try (SegmentFile f = files.open(SegmentFormat.summaryName(segment.id))) {
      long size = f.size();
      if (size > Integer.MAX_VALUE) {
        return null;
      }
      ByteBuffer bytes = ByteBuffer.allocate((int) size);
      SegmentScanner.readFully(f, bytes, 0);
      return SegmentFormat.readSummary(bytes.array(), segment.id, segment.size);
    } catch (IOException e) {
      return null;
    }
  }

  /** Leaves the clean-shutdown marker (after {@link #close}, when nothing failed). */
  void markClean() throws IOException {
    files.create(SegmentFormat.CLEAN_MARKER).close();
  }

  /** Closes every file (the writer is stopping). */
  void close() {
    for (Segment s : segments.values()) {
      try {
        s.file.close();
      } catch (IOException e) {
        LOG.warn("closing {}: {}", s.file.name(), e.toString());
      }
    }
    readable.clear();
  }
}
