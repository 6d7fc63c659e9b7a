package dev.warren.broker.amqp;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A channel's unacked deliveries by delivery tag, compact: tags grow by one per delivery and are
 * mostly settled in order, so they live in a ring indexed by tag, 16 bytes each (the queue's
 * message id, and the owner and delivery time packed in a long). A delivery left behind while later
 * ones are settled (a straggler) would pin the ring open; when the ring would have to grow while
 * less than a quarter of it is live, the stragglers at its head move to an ordered map instead, so
 * the memory follows the number of unacked deliveries, not the span of their tags.
 *
 * <pre>
 *   ring: slot(tag) = tag &amp; mask, for base &lt;= tag &lt; next
 *   meta: | owner + 1 (32 bits) | delivered at, ms since the channel opened (32 bits) |
 *   meta 0: no live delivery under that tag
 * </pre>
 *
 * <p>Owner: the channel's thread. Not thread-safe.
 */
final class UnackedTags {
  private static final int FIRST_CAPACITY = 16;

  private long[] ids = new long[FIRST_CAPACITY];
  private long[] meta = new long[FIRST_CAPACITY];
  private int mask = FIRST_CAPACITY - 1;

  /** Every tag below this is in {@link #stragglers} or settled; the ring starts here. */
  private long base = 1;

  /** The tag after the highest in the ring. */
  private long next = 1;

  private int ringLive;

  /** Live deliveries below {@link #base}: tag to {id, meta}. */
  private final TreeMap<Long, long[]> stragglers = new TreeMap<>();

  int size() {
    return ringLive + stragglers.size();
  }

  boolean isEmpty() {
    return size() == 0;
  }

  /** Adds the delivery under {@code tag}, higher than every tag added before. */
  void add(long tag, long id, int owner, int deliveredAt) {
    if (tag < next) {
      throw new IllegalArgumentException("tag " + tag + " does not increase");
    }
    if (ringLive == 0) {
      base = tag; // an empty ring starts over at the new tag
      next = tag;
    }
    while (tag - base >= ids.length) {
      makeRoom(tag);
    }
    int slot = (int) (tag & mask);
    ids[slot] = id;
    meta[slot] = pack(owner, deliveredAt);
    ringLive++;
    next = tag + 1;
  }

  /** Whether a delivery is live under {@code tag}. */
  boolean contains(long tag) {
    return metaOf(tag) != 0;
  }

  /** The queue's message id of the live delivery under {@code tag}; only when {@link #contains}. */
  long id(long tag) {
    if (tag >= base) {
      return ids[(int) (tag & mask)];
    }
    return stragglers.get(tag)[0];
  }

  /** The owner index of the live delivery under {@code tag}; only when {@link #contains}. */
  int owner(long tag) {
    return (int) (metaOf(tag) >>> 32) - 1;
  }

  /** When the live delivery under {@code tag} left; only when {@link #contains}. */
  int deliveredAt(long tag) {
    return (int) metaOf(tag);
  }

  /**
   * Puts back a delivery taken out under a tag below {@link #next} (a settlement rolled back), as
   * it was.
   */
  void restore(long tag, long id, int owner, int deliveredAt) {
    long packed = pack(owner, deliveredAt);
    if (tag >= base && tag < next) {
      int slot = (int) (tag & mask);
      if (meta[slot] == 0) {
        ringLive++;
      }
      ids[slot] = id;
      meta[slot] = packed;
    } else if (tag < base) {
      if (ringLive == 0 && stragglers.isEmpty()) {
        base = tag; // the ring is empty: it takes the tag back
        next = tag + 1;
        int slot = (int) (tag & mask);
        ids[slot] = id;
        meta[slot] = packed;
        ringLive++;
      } else {
        stragglers.put(tag, new long[] {id, packed});
      }
    } else {
      add(tag, id, owner, deliveredAt);
    }
  }

  /** Settles {@code tag}; false if no delivery was live under it. */
  boolean remove(long tag) {
    if (tag < base) {
      return stragglers.remove(tag) != null;
    }
    if (tag >= next) {
      return false;
    }
    int slot = (int) (tag & mask);
    if (meta[slot] == 0) {
      return false;
    }
    meta[slot] = 0;
    ringLive--;
    while (base < next && meta[(int) (base & mask)] == 0) {
      base++;
    }
    return true;
  }

  /** The lowest live tag, or -1 when none. */
  long lowest() {
    if (!stragglers.isEmpty()) {
      return stragglers.firstKey();
    }
    return ringLive == 0 ? -1 : base;
  }

  /** The live tags from {@code from} to {@code to} (inclusive), in order. */
  long[] tags(long from, long to) {
    long[] found = new long[Math.min(size(), 16)];
    int n = 0;
    for (long tag : stragglers.subMap(from, true, to, true).keySet()) {
      found = fit(found, n);
      found[n++] = tag;
    }
    for (long tag = Math.max(from, base); tag <= to && tag < next; tag++) {
      if (meta[(int) (tag & mask)] != 0) {
        found = fit(found, n);
        found[n++] = tag;
      }
    }
    return Arrays.copyOf(found, n);
  }

  /** Every live tag, in order. */
  long[] all() {
    return tags(Long.MIN_VALUE, Long.MAX_VALUE - 1);
  }

  /** Forgets everything. */
  void clear() {
    stragglers.clear();
    Arrays.fill(meta, 0);
    ringLive = 0;
    base = next;
  }

  private static long[] fit(long[] a, int n) {
    return n < a.length ? a : Arrays.copyOf(a, a.length * 2);
  }

  private long metaOf(long tag) {
    if (tag >= base) {
      return tag < next ? meta[(int) (tag & mask)] : 0;
    }
    long[] straggler = stragglers.get(tag);
    return straggler == null ? 0 : straggler[1];
  }

  private static long pack(int owner, int deliveredAt) {
    return ((long) (owner + 1) << 32) | (deliveredAt & 0xffffffffL);
  }

  /**
   * The ring cannot reach {@code tag}: while most of it is empty, the live deliveries at its head
   * become stragglers until it spans half its size; otherwise it doubles.
   */
  private void makeRoom(long tag) {
    if (ringLive < ids.length / 4) {
      long keepFrom = tag - ids.length / 2;
      while (base < keepFrom && base < next) {
        int slot = (int) (base & mask);
        if (meta[slot] != 0) {
          stragglers.put(base, new long[] {ids[slot], meta[slot]});
          meta[slot] = 0;
          ringLive--;
        }
        base++;
      }
      while (base < next && meta[(int) (base & mask)] == 0) {
        base++;
      }
      if (base == next) {
        base = tag;
        next = tag;
      }
      if (tag - base < ids.length) {
        return;
      }
    }
    int capacity = ids.length * 2;
    long[] newIds = new long[capacity];
    long[] newMeta = new long[capacity];
    int newMask = capacity - 1;
    for (long t = base; t < next; t++) {
      int from = (int) (t & mask);
      int to = (int) (t & newMask);
      newIds[to] = ids[from];
      newMeta[to] = meta[from];
    }
    ids = newIds;
    meta = newMeta;
    mask = newMask;
  }

  /** Stragglers, for tests of the compaction. */
  Map<Long, long[]> stragglers() {
    return stragglers;
  }

  /** Ring slots, for tests of the compaction. */
  int capacity() {
    return ids.length;
  }
}
