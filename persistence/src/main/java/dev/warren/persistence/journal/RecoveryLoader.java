package dev.warren.persistence.journal;

import dev.warren.storage.MessageRuns;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a journal directory: reads every segment (sealed ones from their summaries unless asked to
 * verify), truncates a torn tail of the last one, rebuilds the live index and the liveness of each
 * segment, finishes a compaction the process died in, and reports what it found. Runs on the
 * opening thread, before the writer thread starts.
 *
 * <p>Rules: tombstones remove messages wherever they are (an ACK its message, a PURGE every message
 * of the queue up to its bound, a DELETE_QUEUE every message of the queue), which is why message
 * ids are never reused. When a message has two ENQUEUE records (compaction copied it and died
 * before deleting the original), the newer one is used; the older one's segment is compacted as
 * soon as its own tombstones allow, and until then a tombstone for the message also points to it. A
 * message is redelivered if a DELIVERED record or the flag of its record says so.
 */
final class RecoveryLoader {

  private static final Logger LOG = LoggerFactory.getLogger(RecoveryLoader.class);

  /** The state handed to the writer, and the report handed to the broker. */
  record Loaded(SegmentLog log, LiveIndex index, Recovery recovery) {}

  private final FileLayer files;
  private final JournalConfig config;
  private final SegmentLog log;
  private final Map<Long, JournalCorruptionException> failed = new HashMap<>();
  private final LiveIndex index;

  private final Map<Long, Long> purged = new HashMap<>();
  private final Set<Long> deleted = new HashSet<>();
  private long truncated;
  private long highest;
  private long highestSeen;

  private RecoveryLoader(FileLayer files, JournalConfig config) {
    this.files = files;
    this.config = config;
    this.log = new SegmentLog(files, config.segmentSize());
    this.index = new LiveIndex(log);
  }

  static Loaded load(FileLayer files, JournalConfig config) throws IOException {
    return new RecoveryLoader(files, config).load();
  }

  private Loaded load() throws IOException {
    TreeSet<Long> segments = new TreeSet<>();
    Set<Long> summaries = new HashSet<>();
    boolean clean = false;
    for (String name : files.list()) {
      if (name.equals(SegmentFormat.CLEAN_MARKER)) {
        clean = true;
      }
      long id = SegmentFormat.idOf(name, SegmentFormat.SEGMENT_SUFFIX);
      if (id >= 0) {
        segments.add(id);
      }
      id = SegmentFormat.idOf(name, SegmentFormat.SUMMARY_SUFFIX);
      if (id >= 0) {
        summaries.add(id);
      }
    }
    for (long id : summaries) {
      if (!segments.contains(id)) {
        files.delete(SegmentFormat.summaryName(id));
      }
    }
    if (clean) {
      files.delete(SegmentFormat.CLEAN_MARKER);
    }
    if (segments.isEmpty()) {
      log.start();
    } else {
      for (long id : segments) {
        if (id == segments.last()) {
          loadLast(id);
        } else {
          loadSealed(id);
        }
      }
    }
    log.highestMessageId = highest;
    finishCompactions(new Compactor(log, index));
    Map<Long, MessageRuns> queues = new HashMap<>();
    for (Map.Entry<Long, LiveIndex.QueueIndex> q : index.queues().entrySet()) {
      if (!clean) {
        q.getValue().crashedUpTo = q.getValue().highest;
      }
      if (q.getValue().size > 0 && !failed.containsKey(q.getKey())) {
        queues.put(q.getKey(), LiveIndex.runs(q.getValue(), false));
      }
    }
    Recovery recovery =
        new Recovery(Map.copyOf(queues), Map.copyOf(failed), highest, truncated, clean, 0);
    LOG.info(
        "journal recovered after {} shutdown: {} segments, {} queues, {} failed,"
            + " {} torn bytes truncated",
        clean ? "a clean" : "an unclean",
        log.segments().size(),
        queues.size(),
        failed.size(),
        truncated);
    return new Loaded(log, index, recovery);
  }

  private void loadSealed(long id) throws IOException {
    SegmentFile file = files.open(SegmentFormat.segmentName(id));
    Segment segment = new Segment(id, file, file.size());
    segment.sealed = true;
    segment.records = null;
    ByteBuffer header = ByteBuffer.allocate(SegmentFormat.HEADER);
    Long headerHighest = null;
    if (segment.size >= SegmentFormat.HEADER) {
      SegmentScanner.readFully(file, header, 0);
      headerHighest = SegmentFormat.readHeader(header.flip(), id);
    }
    if (headerHighest == null) {
      throw new JournalCorruptionException(
          file.name(), 0, "invalid segment header inside a sealed segment; recovery stopped");
    }
    highest = Math.max(highest, headerHighest);
    List<RecordMeta> listed = log.summary(segment);
    if (listed != null && config.verifyOnRecovery()) {
      verify(file, listed);
    }
    if (listed == null) {
      SegmentScanner.Result scan = SegmentScanner.scan(file, id);
      if (!scan.clean()) {
        String what = scan.highestMessageId() == null ? "invalid segment header" : "invalid record";
        throw new JournalCorruptionException(
            file.name(), scan.validEnd(), what + " inside a sealed segment; recovery stopped");
      }
      listed = scan.records();
      log.writeSummary(segment, listed);
    }
    log.adopt(segment);
    listed.forEach(r -> apply(r, segment));
  }

  private void verify(SegmentFile file, List<RecordMeta> listed) throws IOException {
    for (RecordMeta r : listed) {
      ByteBuffer bytes = ByteBuffer.allocate(r.length());
      RecordMeta read = null;
      if (r.offset() + r.length() <= file.size()) {
        SegmentScanner.readFully(file, bytes, r.offset());
        read = Records.decode(r.segment(), r.offset(), bytes.flip());
      }
      if (read == null || !read.equals(r)) {
        JournalCorruptionException e =
            new JournalCorruptionException(
                file.name(), r.offset(), "corrupt " + r.type() + " record of queue " + r.queueId());
        LOG.error("queue {} cannot be recovered: {}", r.queueId(), e.getMessage());
        failed.putIfAbsent(r.queueId(), e);
      }
    }
  }

  private void loadLast(long id) throws IOException {
    SegmentFile file = files.open(SegmentFormat.segmentName(id));
    files.delete(SegmentFormat.summaryName(id));
    SegmentScanner.Result scan = SegmentScanner.scan(file, id);
    Segment segment;
    List<RecordMeta> found = List.of();
    if (scan.highestMessageId() == null) {
      if (scan.size() > SegmentFormat.HEADER) {
        throw new JournalCorruptionException(
            file.name(), 0, "invalid segment header; recovery stopped");
      }
      LOG.warn("{} was being created when the journal stopped: starting it again", file.name());
      file.truncate(0);
      file.append(new ByteBuffer[] {SegmentFormat.header(id, Math.max(highest, highestSeen))});
      file.force();
      segment = new Segment(id, file, SegmentFormat.HEADER);
    } else {
      if (scan.validEnd() < scan.size()) {
        truncated = scan.size() - scan.validEnd();
        LOG.warn(
            "torn tail: truncating {} at offset {} ({} bytes)",
            file.name(),
            scan.validEnd(),
            truncated);
        file.truncate(scan.validEnd());
        file.force();
      }
      highest = Math.max(highest, scan.highestMessageId());
      segment = new Segment(id, file, scan.validEnd());
      found = scan.records();
      found.forEach(segment.records::add);
    }
    log.adopt(segment);
    Segment adopted = segment;
    found.forEach(r -> apply(r, adopted));
  }

  /**
   * Applies one record to the live index, in log order (segments oldest first, records in file
   * order), which is the order the writer appended them in. When a message has two ENQUEUE records,
   * the second (a compaction's copy) wins; the first's segment must be compacted.
   */
  private void apply(RecordMeta r, Segment at) {
    long id = r.messageId();
    highestSeen = Math.max(highestSeen, id);
    if (r.type() == RecordType.ENQUEUE || r.type() == RecordType.PURGE) {
      highest = Math.max(highest, id);
    }
    switch (r.type()) {
      case ENQUEUE -> {
        if (deleted.contains(r.queueId())
            || id <= purged.getOrDefault(r.queueId(), Long.MIN_VALUE)) {
          return;
        }
        LiveIndex.QueueIndex q = index.queueForWrite(r.queueId());
        LiveIndex.Chunk chunk = q.live(id);
        if (chunk == null) {
          index.enqueued(q, id, r);
        } else {
          long older = chunk.segment[LiveIndex.at(id)];
          index.moved(chunk, id, r);
          index.shadowed(q, id, older);
          log.segment(older).mustCompact = true;
        }
      }
      case DELIVERED -> {
        // A marker of a message no longer live is dead. (One is only ever appended while its
        // message is live, and every later copy of the message carries the delivered flag.)
        LiveIndex.Chunk chunk = index.live(r.queueId(), id);
        if (chunk != null
            && (!chunk.delivered(LiveIndex.at(id)) || LiveIndex.markerSegment(chunk, id) >= 0)) {
          index.marked(chunk, id, r);
        }
      }
      case ACK -> {
        LiveIndex.QueueIndex q = index.queue(r.queueId());
        LiveIndex.Chunk chunk = q == null ? null : q.live(id);
        if (chunk != null) {
          index.removed(q, chunk, id, at);
        }
      }
      case PURGE, DELETE_QUEUE -> {
        LiveIndex.QueueIndex q = index.queue(r.queueId());
        boolean delete = r.type() == RecordType.DELETE_QUEUE;
        if (q != null) {
          index.removedUpTo(q, delete ? Long.MAX_VALUE : id, at);
        }
        if (delete) {
          index.queues().remove(r.queueId());
          deleted.add(r.queueId());
        } else {
          purged.merge(r.queueId(), id, Math::max);
        }
      }
    }
  }

  /**
   * Compacts the segments left with an older copy of a message, as far as their own tombstones
   * allow; those that must wait keep their copies dead through {@link
   * LiveIndex.QueueIndex#shadows}.
   */
  private void finishCompactions(Compactor compactor) throws IOException {
    while (log.segments().values().stream().anyMatch(s -> s.mustCompact && !s.damaged)) {
      if (!compactor.run()) {
        break;
      }
    }
    compactor.deleteDead();
  }
}
