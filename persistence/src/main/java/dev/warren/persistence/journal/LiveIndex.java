package dev.warren.persistence.journal;

import io.netty.util.collection.LongObjectHashMap;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The live messages of every queue, and the liveness counts of segments that follow from them.
 * Owner: the journal writer thread (the opening thread during recovery). Each method is called
 * after the record it reflects was appended to the {@link SegmentLog}.
 */
final class LiveIndex {

  /** The live messages of one queue and the highest message id it ever stored. */
  static final class QueueIndex {
    /**
     * By {@link LiveIndex#slot} of the message id: primitive keys, since there is one entry per
     * live message in the node.
     */
    final LongObjectHashMap<Location> live = new LongObjectHashMap<>();

    long highest = Long.MIN_VALUE;
  }

  private final Map<Long, QueueIndex> queues = new HashMap<>();
  private final SegmentLog log;

  LiveIndex(SegmentLog log) {
    this.log = log;
  }

  /**
   * The live table's key for a message id. Ids are consecutive, and the open-addressing table
   * places consecutive keys in one run of slots, which makes each removal scan the rest of the run
   * (acks in order would cost quadratic time); an odd multiplier (a bijection) spreads them.
   */
  static long slot(long messageId) {
    return messageId * 0x9E3779B97F4A7C15L;
  }

  QueueIndex queue(long queueId) {
    return queues.get(queueId);
  }

  QueueIndex queueForWrite(long queueId) {
    return queues.computeIfAbsent(queueId, q -> new QueueIndex());
  }

  Location live(long queueId, long messageId) {
    QueueIndex q = queues.get(queueId);
    return q == null ? null : q.live.get(slot(messageId));
  }

  Map<Long, QueueIndex> queues() {
    return queues;
  }

  /** A new message's ENQUEUE record was appended at {@code at}. */
  void enqueued(Location location, RecordMeta at) {
    QueueIndex q = queueForWrite(location.queueId());
    q.live.put(slot(location.messageId()), location);
    q.highest = Math.max(q.highest, location.messageId());
    location.moveTo(new Location.Position(at.segment(), at.offset(), at.length()));
    log.segment(at.segment()).addLive(at.length());
  }

  /** Compaction copied a live message to {@code to} (with its delivered flag folded in). */
  void moved(Location location, RecordMeta to) {
    Location.Position from = location.position();
    log.segment(from.segment()).removeLive(from.length());
    location.moveTo(new Location.Position(to.segment(), to.offset(), to.length()));
    log.segment(to.segment()).addLive(to.length());
    if (location.delivered) {
      dropMarker(location);
    }
  }

  /** A DELIVERED record for a live message was appended at {@code at}. */
  void marked(Location location, RecordMeta at) {
    dropMarker(location);
    location.delivered = true;
    location.markerSegment = at.segment();
    log.segment(at.segment()).addLive(at.length());
  }

  /**
   * A tombstone appended to {@code tombstone} removes these messages: they stop being live, and the
   * tombstone is needed while their segments exist.
   */
  void removed(Collection<Location> locations, Segment tombstone) {
    for (Location location : locations) {
      Location.Position p = location.position();
      log.segment(p.segment()).removeLive(p.length());
      tombstone.addTarget(p.segment());
      if (location.shadows != null) {
        for (long shadow : location.shadows) {
          if (log.segment(shadow) != null) {
            tombstone.addTarget(shadow);
          }
        }
      }
      dropMarker(location);
    }
  }

  private void dropMarker(Location location) {
    if (location.markerSegment != Location.NONE) {
      log.segment(location.markerSegment).removeLive(Records.CONTROL_RECORD);
      location.markerSegment = Location.NONE;
    }
  }
}
