package dev.warren.queue;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The paged-out end of one ready {@link Lane}: messages whose bodies are only in a store, in queue
 * order, kept without an {@link Entry} each. A block of primitive arrays holds each message's body
 * size (2 bytes, or 4 once the block holds a body of 64 KiB or more); its id only once ids stop
 * being consecutive (4 bytes, as an offset from the block's first); a deadline where a TTL applies;
 * and flag bits where a message was redelivered, expires by its own expiration, or is in the spill
 * store rather than the log. A deep backlog thus costs the queue 2 bytes per message in the common
 * case; the oldest are turned back into entries ({@link #poll}) as they near the head. Enqueue
 * times are kept per block only (the newest of the block), for a TTL set later ({@link #retime}).
 *
 * <p>Owner: the queue's thread. Holds no buffers.
 */
final class PagedTail {
  private static final int BLOCK = 1024;

  private static final class Block {
    final long firstId;
    int[] idOffset; // null while ids are consecutive from firstId
    char[] smallSize = new char[BLOCK]; // null once a size does not fit
    int[] bodySize; // null while every size fits smallSize
    long[] deadline; // null while every deadline is NO_DEADLINE
    long[] redelivered; // bit set; null while none
    long[] ownExpiry; // bit set; null while none
    long[] spilled; // bit set (in the spill store, not the log); null while none
    long enqueuedLast = Long.MIN_VALUE; // the newest enqueue time of the block's messages
    int head;
    int tail;

    Block(long firstId) {
      this.firstId = firstId;
    }

    boolean fits(long id) {
      return tail < BLOCK && id - firstId <= Integer.MAX_VALUE;
    }

    long id(int i) {
      return firstId + (idOffset == null ? i : idOffset[i]);
    }

    void setId(int i, long id) {
      if (idOffset == null && id != firstId + i) {
        idOffset = new int[BLOCK];
        for (int j = 0; j < i; j++) {
          idOffset[j] = j;
        }
      }
      if (idOffset != null) {
        idOffset[i] = (int) (id - firstId);
      }
    }

    int size(int i) {
      return bodySize == null ? smallSize[i] : bodySize[i];
    }

    void setSize(int i, int size) {
      if (bodySize == null && size > Character.MAX_VALUE) {
        bodySize = new int[BLOCK];
        for (int j = 0; j < i; j++) {
          bodySize[j] = smallSize[j];
        }
        smallSize = null;
      }
      if (bodySize != null) {
        bodySize[i] = size;
      } else {
        smallSize[i] = (char) size;
      }
    }
  }

  private final ArrayDeque<Block> blocks = new ArrayDeque<>();
  private int size;

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** Keeps {@code e}'s place (behind every message added before); the entry itself is dropped. */
  void add(Entry e) {
    Block b = blocks.peekLast();
    if (b == null || !b.fits(e.id)) {
      b = new Block(e.id);
      blocks.addLast(b);
    }
    int i = b.tail++;
    b.setId(i, e.id);
    b.setSize(i, e.bodySize);
    b.enqueuedLast = Math.max(b.enqueuedLast, e.enqueuedAt);
    if (e.deadline != Entry.NO_DEADLINE) {
      if (b.deadline == null) {
        b.deadline = new long[BLOCK];
        Arrays.fill(b.deadline, Entry.NO_DEADLINE);
      }
      b.deadline[i] = e.deadline;
    }
    if (e.redelivered) {
      b.redelivered = set(b.redelivered, i);
    }
    if (e.ownExpiry) {
      b.ownExpiry = set(b.ownExpiry, i);
    }
    if (e.spilled) {
      b.spilled = set(b.spilled, i);
    }
    size++;
  }

  /** Takes the oldest message out as a paged-out entry of {@code priority}, or null when empty. */
  Entry poll(int priority) {
    Block b = blocks.peekFirst();
    if (b == null) {
      return null;
    }
    int i = b.head++;
    Entry e =
        Entry.pagedOut(
            b.id(i),
            b.size(i),
            priority,
            b.enqueuedLast,
            b.deadline == null ? Entry.NO_DEADLINE : b.deadline[i],
            isSet(b.ownExpiry, i),
            isSet(b.spilled, i));
    if (isSet(b.redelivered, i)) {
      e.redelivered = true;
      e.deliveryCount = 1;
    }
    if (b.head == b.tail) {
      blocks.pollFirst();
    }
    size--;
    return e;
  }

  /**
   * The queue's TTL is now {@code ttl} (-1: none): each message's deadline becomes the earlier of
   * its own expiration's, where that decided (the only one known without reading the message), and
   * its block's newest enqueue time plus {@code ttl}. Counting from the block's newest enqueue
   * time, a message may expire as much later than its own age says as its block spans, never
   * earlier.
   */
  void retime(long ttl) {
    for (Block b : blocks) {
      long byTtl = MessageExpiry.after(b.enqueuedLast, ttl);
      if (b.deadline == null) {
        if (byTtl == Entry.NO_DEADLINE) {
          continue;
        }
        b.deadline = new long[BLOCK];
        Arrays.fill(b.deadline, Entry.NO_DEADLINE);
      }
      for (int i = b.head; i < b.tail; i++) {
        long own = isSet(b.ownExpiry, i) ? b.deadline[i] : Entry.NO_DEADLINE;
        if (own < byTtl) {
          b.deadline[i] = own;
        } else {
          b.deadline[i] = byTtl;
          clear(b.ownExpiry, i);
        }
      }
    }
  }

  private static long[] set(long[] bits, int i) {
    long[] b = bits == null ? new long[BLOCK / 64] : bits;
    b[i >> 6] |= 1L << i;
    return b;
  }

  private static void clear(long[] bits, int i) {
    if (bits != null) {
      bits[i >> 6] &= ~(1L << i);
    }
  }

  private static boolean isSet(long[] bits, int i) {
    return bits != null && (bits[i >> 6] & (1L << i)) != 0;
  }
}
