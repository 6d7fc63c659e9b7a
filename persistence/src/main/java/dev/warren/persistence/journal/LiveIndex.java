package dev.warren.persistence.journal;

import dev.warren.storage.MessageRuns;
import io.netty.util.collection.LongObjectHashMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The live messages of every queue, and the liveness counts of segments that follow from them.
 * Owner: the journal writer thread (the opening thread during recovery). Each method is called
 * after the record it reflects was appended to the {@link SegmentLog}.
 *
 * <p>Compact by design, since it holds every message of the node's backlogs: no object per message.
 * A queue's messages are kept by message id in {@link Chunk}s of {@link #CHUNK} consecutive ids,
 * each a few primitive arrays (13 bytes per message: segment, offset, length, flags). Ids of a
 * queue increase and mostly leave in order, so chunks fill at the tail and empty at the head.
 */
final class LiveIndex {

  /** Message ids per chunk (a power of two). */
  static final int CHUNK = 512;

  /** Slots a chunk starts with: its arrays grow (doubling) as higher ids of it are stored. */
  private static final int FIRST_CAPACITY = 16;

  private static final int CHUNK_BITS = Integer.numberOfTrailingZeros(CHUNK);
  private static final byte DELIVERED = 1;

  /**
   * Where the live messages of {@link #CHUNK} consecutive ids of one queue are. The arrays cover
   * the first {@link #capacity()} ids of the chunk and grow as higher ones are stored, so a queue
   * holding a few messages costs a few hundred bytes, not a whole chunk.
   */
  static final class Chunk {
    final long first;
    int[] segment = new int[FIRST_CAPACITY];
    int[] offset = new int[FIRST_CAPACITY];

    /** The ENQUEUE record's length; 0 when the id is not live. */
    int[] length = new int[FIRST_CAPACITY];

    byte[] flags = new byte[FIRST_CAPACITY];

    /** Segment id + 1 of the live DELIVERED record of each message (0: none); null until one. */
    int[] marker;

    int live;

    Chunk(long first) {
      this.first = first;
    }

    int capacity() {
      return length.length;
    }

    boolean holds(int i) {
      return i < length.length && length[i] != 0;
    }

    /** Makes room for index {@code i}. */
    void fit(int i) {
      if (i >= length.length) {
        int n = Math.min(CHUNK, Integer.highestOneBit(i) << 1);
        segment = Arrays.copyOf(segment, n);
        offset = Arrays.copyOf(offset, n);
        length = Arrays.copyOf(length, n);
        flags = Arrays.copyOf(flags, n);
        if (marker != null) {
          marker = Arrays.copyOf(marker, n);
        }
      }
    }

    boolean delivered(int i) {
      return (flags[i] & DELIVERED) != 0;
    }
  }

  /** The live messages of one queue and the highest message id it ever stored. */
  static final class QueueIndex {
    /** By {@link LiveIndex#slot} of the chunk number. */
    private final LongObjectHashMap<Chunk> chunks = new LongObjectHashMap<>();

    /**
     * By {@link LiveIndex#slot} of the message id: segments that still hold an older copy of the
     * message (recovery found a compaction interrupted before its delete); null until one. A
     * tombstone for the message must outlive them too.
     */
    LongObjectHashMap<long[]> shadows;

    long highest = Long.MIN_VALUE;
    int size;

    /**
     * Messages up to this id were found by a recovery after an unclean shutdown: a delivery may
     * have left before its DELIVERED record, so they are reported redelivered (no record says so).
     */
    long crashedUpTo = Long.MIN_VALUE;

    /** The chunk holding {@code messageId} if the message is live, else null. */
    Chunk live(long messageId) {
      Chunk c = chunks.get(slot(messageId >> CHUNK_BITS));
      return c != null && c.holds(at(messageId)) ? c : null;
    }

    /** The chunks in message-id order. */
    List<Chunk> ordered() {
      List<Chunk> all = new ArrayList<>(chunks.values());
      all.sort(Comparator.comparingLong(c -> c.first));
      return all;
    }

    private Chunk chunkForWrite(long messageId) {
      long number = messageId >> CHUNK_BITS;
      Chunk c = chunks.get(slot(number));
      if (c == null) {
        c = new Chunk(number << CHUNK_BITS);
        chunks.put(slot(number), c);
      }
      return c;
    }
  }

  private final Map<Long, QueueIndex> queues = new HashMap<>();
  private final SegmentLog log;

  LiveIndex(SegmentLog log) {
    this.log = log;
  }

  /**
   * A primitive table's key for an id. Ids are consecutive, and the open-addressing table places
   * consecutive keys in one run of slots, which makes each removal scan the rest of the run; an odd
   * multiplier (a bijection) spreads them.
   */
  static long slot(long id) {
    return id * 0x9E3779B97F4A7C15L;
  }

  /** The index of {@code messageId} in its chunk. */
  static int at(long messageId) {
    return (int) (messageId & (CHUNK - 1));
  }

  QueueIndex queue(long queueId) {
    return queues.get(queueId);
  }

  QueueIndex queueForWrite(long queueId) {
    return queues.computeIfAbsent(queueId, q -> new QueueIndex());
  }

  Map<Long, QueueIndex> queues() {
    return queues;
  }

  /** The chunk holding the live message, or null. */
  Chunk live(long queueId, long messageId) {
    QueueIndex q = queues.get(queueId);
    return q == null ? null : q.live(messageId);
  }

  /** A new message's ENQUEUE record was appended at {@code at}. */
  void enqueued(QueueIndex q, long messageId, RecordMeta at) {
    Chunk c = q.chunkForWrite(messageId);
    int i = at(messageId);
    c.fit(i);
    place(c, i, at);
    c.flags[i] = at.delivered() ? DELIVERED : 0;
    c.live++;
    q.size++;
    q.highest = Math.max(q.highest, messageId);
  }

  /**
   * A live message's ENQUEUE record was copied to {@code to}: by compaction (with its delivered
   * flag folded in), or found newer by recovery.
   */
  void moved(Chunk c, long messageId, RecordMeta to) {
    int i = at(messageId);
    log.segment(c.segment[i]).removeLive(c.length[i]);
    place(c, i, to);
    if (to.delivered()) {
      c.flags[i] |= DELIVERED;
    }
    if (c.delivered(i)) {
      dropMarker(c, i);
    }
  }

  /** A DELIVERED record for a live message was appended at {@code at}. */
  void marked(Chunk c, long messageId, RecordMeta at) {
    int i = at(messageId);
    dropMarker(c, i);
    c.flags[i] |= DELIVERED;
    if (c.marker == null) {
      c.marker = new int[c.capacity()];
    }
    c.marker[i] = segmentId(at.segment()) + 1;
    log.segment(at.segment()).addLive(at.length());
  }

  /** Recovery: an older copy of a live message stays in {@code segment} until compacted. */
  void shadowed(QueueIndex q, long messageId, long segment) {
    if (q.shadows == null) {
      q.shadows = new LongObjectHashMap<>();
    }
    long[] before = q.shadows.get(slot(messageId));
    long[] now = before == null ? new long[1] : Arrays.copyOf(before, before.length + 1);
    now[now.length - 1] = segment;
    q.shadows.put(slot(messageId), now);
  }

  /**
   * A tombstone appended to {@code tombstone} removes a live message: it stops being live, and the
   * tombstone is needed while its segments exist.
   */
  void removed(QueueIndex q, Chunk c, long messageId, Segment tombstone) {
    int i = at(messageId);
    log.segment(c.segment[i]).removeLive(c.length[i]);
    tombstone.addTarget(c.segment[i]);
    if (q.shadows != null) {
      long[] shadows = q.shadows.remove(slot(messageId));
      if (shadows != null) {
        for (long shadow : shadows) {
          if (log.segment(shadow) != null) {
            tombstone.addTarget(shadow);
          }
        }
      }
    }
    dropMarker(c, i);
    c.length[i] = 0;
    c.flags[i] = 0;
    c.live--;
    q.size--;
    if (c.live == 0) {
      q.chunks.remove(slot(c.first >> CHUNK_BITS));
    }
  }

  /** A PURGE (every id up to {@code bound}) or DELETE_QUEUE (every id) tombstone was appended. */
  void removedUpTo(QueueIndex q, long bound, Segment tombstone) {
    for (Chunk c : new ArrayList<>(q.chunks.values())) {
      for (int i = 0; i < c.capacity() && c.first + i <= bound; i++) {
        if (c.length[i] != 0) {
          removed(q, c, c.first + i, tombstone);
        }
      }
    }
  }

  /**
   * The queue's live messages in id order, with their delivered flags, in runs; with {@code
   * crashFlags}, those a crash left in doubt are flagged too ({@link QueueIndex#crashedUpTo}).
   */
  static MessageRuns runs(QueueIndex q, boolean crashFlags) {
    MessageRuns.Builder runs = new MessageRuns.Builder();
    for (Chunk c : q.ordered()) {
      for (int i = 0; i < c.capacity(); i++) {
        if (c.length[i] != 0) {
          long id = c.first + i;
          runs.add(id, c.delivered(i) || (crashFlags && id <= q.crashedUpTo));
        }
      }
    }
    return runs.build();
  }

  /** The segment id of the live DELIVERED record of a message, or -1. */
  static long markerSegment(Chunk c, long messageId) {
    return c.marker == null ? -1 : c.marker[at(messageId)] - 1L;
  }

  private void place(Chunk c, int i, RecordMeta at) {
    c.segment[i] = segmentId(at.segment());
    c.offset[i] = Math.toIntExact(at.offset());
    c.length[i] = at.length();
    log.segment(at.segment()).addLive(at.length());
  }

  private void dropMarker(Chunk c, int i) {
    if (c.marker != null && c.marker[i] != 0) {
      log.segment(c.marker[i] - 1L).removeLive(Records.CONTROL_RECORD);
      c.marker[i] = 0;
    }
  }

  private static int segmentId(long segment) {
    return Math.toIntExact(segment);
  }
}
