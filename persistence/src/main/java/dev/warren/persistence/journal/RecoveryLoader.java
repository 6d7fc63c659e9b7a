package dev.warren.persistence.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
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

  private record Key(long queueId, long messageId) {}

  private final FileLayer files;
  private final JournalConfig config;
  private final SegmentLog log;
  private final Map<Long, JournalCorruptionException> failed = new HashMap<>();
  private final List<RecordMeta> records = new ArrayList<>();
  private long truncated;
  private long highest;

  private RecoveryLoader(FileLayer files, JournalConfig config) {
    this.files = files;
    this.config = config;
    this.log = new SegmentLog(files, config.segmentSize());
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
    for (RecordMeta r : records) {
      if (r.type() == RecordType.ENQUEUE || r.type() == RecordType.PURGE) {
        highest = Math.max(highest, r.messageId());
      }
    }
    log.highestMessageId = highest;
    LiveIndex index = rebuild();
    finishCompactions(new Compactor(log, index));
    Map<Long, List<RecoveredMessage>> queues = new HashMap<>();
    for (Map.Entry<Long, LiveIndex.QueueIndex> q : index.queues().entrySet()) {
      if (q.getValue().live.isEmpty() || failed.containsKey(q.getKey())) {
        continue;
      }
      List<RecoveredMessage> messages = new ArrayList<>(q.getValue().live.size());
      for (Location l : q.getValue().live.values()) {
        messages.add(new RecoveredMessage(l, l.delivered));
      }
      messages.sort(Comparator.comparingLong(m -> m.location().messageId()));
      queues.put(q.getKey(), List.copyOf(messages));
    }
    Recovery recovery =
        new Recovery(Map.copyOf(queues), Map.copyOf(failed), highest, truncated, clean);
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
    records.addAll(listed);
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
    if (scan.highestMessageId() == null) {
      if (scan.size() > SegmentFormat.HEADER) {
        throw new JournalCorruptionException(
            file.name(), 0, "invalid segment header; recovery stopped");
      }
      LOG.warn("{} was being created when the journal stopped: starting it again", file.name());
      file.truncate(0);
      file.append(new ByteBuffer[] {SegmentFormat.header(id, Math.max(highest, maxMessageId()))});
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
      segment.records.addAll(scan.records());
    }
    log.adopt(segment);
    records.addAll(segment.records);
  }

  private long maxMessageId() {
    long max = 0;
    for (RecordMeta r : records) {
      max = Math.max(max, r.messageId());
    }
    return max;
  }

  private LiveIndex rebuild() {
    Map<Key, List<RecordMeta>> copies = new HashMap<>();
    Map<Long, List<RecordMeta>> byQueue = new HashMap<>();
    Map<Key, RecordMeta> markers = new HashMap<>();
    Set<Key> acked = new HashSet<>();
    Map<Long, Long> purged = new HashMap<>();
    Set<Long> deleted = new HashSet<>();
    List<RecordMeta> tombstones = new ArrayList<>();
    for (RecordMeta r : records) {
      Key key = new Key(r.queueId(), r.messageId());
      switch (r.type()) {
        case ENQUEUE -> {
          copies.computeIfAbsent(key, k -> new ArrayList<>(1)).add(r);
          byQueue.computeIfAbsent(r.queueId(), q -> new ArrayList<>()).add(r);
        }
        case DELIVERED -> markers.put(key, r);
        case ACK -> acked.add(key);
        case PURGE -> purged.merge(r.queueId(), r.messageId(), Math::max);
        case DELETE_QUEUE -> deleted.add(r.queueId());
      }
      if (r.type().isTombstone()) {
        tombstones.add(r);
      }
    }
    LiveIndex index = new LiveIndex(log);
    for (Map.Entry<Key, List<RecordMeta>> e : copies.entrySet()) {
      Key key = e.getKey();
      if (deleted.contains(key.queueId())) {
        continue;
      }
      LiveIndex.QueueIndex queue = index.queueForWrite(key.queueId());
      queue.highest = Math.max(queue.highest, key.messageId());
      if (acked.contains(key)
          || key.messageId() <= purged.getOrDefault(key.queueId(), Long.MIN_VALUE)) {
        continue;
      }
      List<RecordMeta> found = e.getValue();
      RecordMeta newest = found.get(found.size() - 1);
      Location location = new Location(key.queueId(), key.messageId());
      index.enqueued(location, newest);
      if (newest.delivered()) {
        location.delivered = true;
      } else if (markers.containsKey(key)) {
        index.marked(location, markers.get(key));
      }
      if (found.size() > 1) {
        location.shadows = new long[found.size() - 1];
        for (int i = 0; i < found.size() - 1; i++) {
          location.shadows[i] = found.get(i).segment();
          log.segment(found.get(i).segment()).mustCompact = true;
        }
      }
    }
    for (RecordMeta t : tombstones) {
      Segment at = log.segment(t.segment());
      if (t.type() == RecordType.ACK) {
        for (RecordMeta c : copies.getOrDefault(new Key(t.queueId(), t.messageId()), List.of())) {
          at.addTarget(c.segment());
        }
      } else {
        for (RecordMeta c : byQueue.getOrDefault(t.queueId(), List.of())) {
          if (t.type() == RecordType.DELETE_QUEUE || c.messageId() <= t.messageId()) {
            at.addTarget(c.segment());
          }
        }
      }
    }
    return index;
  }

  /**
   * Compacts the segments left with an older copy of a message, as far as their own tombstones
   * allow; those that must wait keep their copies dead through {@link Location#shadows}.
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
