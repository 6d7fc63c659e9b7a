package dev.warren.queue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The messages of a queue waiting for a consumer, in delivery order: one {@link Lane} per message
 * priority (a plain queue has exactly one), the highest non-empty lane served first. Keeps the
 * count and body bytes of live entries, which is what length limits and queue.declare-ok report;
 * expired entries leave both at once, wherever they sit (a paged-out one with its own expiration
 * only when it nears the head).
 *
 * <p>Owner: the queue's thread. Buffers: each live entry owns one reference to its message; {@link
 * #poll} hands the entry (and that reference) to the caller, {@link #purge} releases them.
 */
final class ReadyMessages {
  private final Lane[] lanes;

  /** Bit p set while lane p has live entries (priority queues only: up to 256 lanes). */
  private final long[] occupied;

  private int size;
  private long bytes;

  /** A plain FIFO. */
  ReadyMessages() {
    this(0, e -> {});
  }

  /**
   * Lanes for priorities 0 to {@code maxPriority}.
   *
   * @param unpaged told of each entry made again from a lane's paged-out tail (it is ready anew)
   */
  ReadyMessages(int maxPriority, Consumer<Entry> unpaged) {
    lanes = new Lane[maxPriority + 1];
    for (int p = 0; p <= maxPriority; p++) {
      lanes[p] = new Lane(p, unpaged);
    }
    occupied = new long[(maxPriority >> 6) + 1];
  }

  /** A new message joins the tail of its priority. */
  void add(Entry e) {
    lanes[e.priority].add(e);
    counted(e);
  }

  /** A paged-out message joins the compact tail of its priority (the entry is not kept). */
  void addPagedOut(Entry e) {
    lanes[e.priority].addPagedOut(e);
    counted(e);
  }

  /** Whether messages of this priority are paged out at the tail: a new one must join them. */
  boolean hasTail(int priority) {
    return lanes[priority].hasTail();
  }

  /**
   * Makes paged-out messages of the tails entries again, the highest priority first, until {@code
   * count} or {@code bytes} is reached; returns them (still paged out, for a read).
   */
  List<Entry> unpage(int count, long bytes) {
    List<Entry> made = new ArrayList<>();
    long sum = 0;
    for (int p = lanes.length - 1; p >= 0; p--) {
      Entry e;
      while (made.size() < count && sum < bytes && (e = lanes[p].unpage()) != null) {
        made.add(e);
        sum += e.bodySize;
      }
    }
    return made;
  }

  /** A delivered message returns to its original place, marked redelivered. */
  void requeue(Entry e) {
    e.state = Entry.State.READY;
    e.redelivered = true;
    lanes[e.priority].requeue(e);
    counted(e);
  }

  /** The next entry to deliver, or null. */
  Entry peek() {
    Lane lane = top();
    return lane == null ? null : lane.peek();
  }

  /** Removes and returns the next entry to deliver (it keeps its message), or null. */
  Entry poll() {
    Lane lane = top();
    if (lane == null) {
      return null;
    }
    Entry e = lane.poll();
    uncounted(e);
    return e;
  }

  /** Takes a live entry out from wherever it is; it keeps its message for the caller. */
  void remove(Entry e) {
    lanes[e.priority].kill(e);
    uncounted(e);
  }

  /**
   * Among the heads of the lanes, the one with the earliest deadline. Entries whose deadline comes
   * from the queue's TTL alone have deadlines in id order within a lane, so this is the earliest of
   * them all; the others are in the {@link ExpiryIndex}.
   */
  Entry earliestHead() {
    Entry best = null;
    if (lanes.length == 1) {
      return lanes[0].peek();
    }
    for (int w = 0; w < occupied.length; w++) {
      long bits = occupied[w];
      while (bits != 0) {
        int p = (w << 6) + Long.numberOfTrailingZeros(bits);
        bits &= bits - 1;
        Entry head = lanes[p].peek();
        if (head != null && (best == null || head.deadline < best.deadline)) {
          best = head;
        }
      }
    }
    return best;
  }

  /**
   * Shows every live entry (resident or paged out, not those of the compact tails) to {@code f}.
   */
  void forEachResident(Consumer<Entry> f) {
    for (Lane lane : lanes) {
      lane.forEachLive(f);
    }
  }

  /** The queue's TTL is now {@code ttl}: the compact tails' deadlines follow it (see PagedTail). */
  void retimeTails(long ttl) {
    for (Lane lane : lanes) {
      lane.retimeTail(ttl);
    }
  }

  int size() {
    return size;
  }

  /** Body bytes of the live entries. */
  long bytes() {
    return bytes;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** Dead entries the lanes dropped from their heads (for tests). */
  long skipped() {
    long n = 0;
    for (Lane lane : lanes) {
      n += lane.skipped;
    }
    return n;
  }

  /** Entries the lanes' compactions visited (for tests). */
  long compacted() {
    long n = 0;
    for (Lane lane : lanes) {
      n += lane.compacted;
    }
    return n;
  }

  /**
   * Drops every ready message, showing each live entry to {@code dropped} first; returns how many.
   */
  int purge(Consumer<Entry> dropped) {
    int n = 0;
    for (Lane lane : lanes) {
      n += lane.purge(dropped);
    }
    Arrays.fill(occupied, 0L);
    size = 0;
    bytes = 0;
    return n;
  }

  private Lane top() {
    if (lanes.length == 1) {
      return size == 0 ? null : lanes[0];
    }
    for (int w = occupied.length - 1; w >= 0; w--) {
      if (occupied[w] != 0) {
        return lanes[(w << 6) + 63 - Long.numberOfLeadingZeros(occupied[w])];
      }
    }
    return null;
  }

  private void counted(Entry e) {
    size++;
    bytes += e.bodySize;
    if (lanes.length > 1 && lanes[e.priority].live() == 1) {
      occupied[e.priority >> 6] |= 1L << e.priority;
    }
  }

  private void uncounted(Entry e) {
    size--;
    bytes -= e.bodySize;
    if (lanes.length > 1 && lanes[e.priority].live() == 0) {
      occupied[e.priority >> 6] &= ~(1L << e.priority);
    }
  }
}
