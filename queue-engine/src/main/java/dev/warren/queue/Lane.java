package dev.warren.queue;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * Ready entries of one priority, in queue order. New entries join the tail of a FIFO; a requeued
 * entry goes back to its original place, which is always ahead of every entry never delivered
 * (those are newer), so requeued ones wait in a heap ordered by id and are served first.
 *
 * <p>An entry removed from the middle (expired) is only marked {@link Entry.State#DEAD} and stays
 * linked: it is dropped when it reaches the head, or by a compaction once dead entries outnumber
 * live ones, so each removal costs O(1) amortized.
 *
 * <p>Behind the entries, a lane may have a {@link PagedTail}: paged-out messages kept compactly.
 * While it is not empty every new message joins it (so queue order holds), and its oldest message
 * becomes an entry again when the lane has no other to offer ({@link #peek}) or when the pager
 * reads ahead ({@link #unpage}). Owner: the queue's thread.
 */
final class Lane {
  /** Dead entries tolerated before a compaction is considered. */
  private static final int COMPACT_MIN = 64;

  private static final Comparator<Entry> BY_ID = (a, b) -> Long.compare(a.id, b.id);

  private final int priority;
  private final Consumer<Entry> unpaged;
  private final ArrayDeque<Entry> fresh = new ArrayDeque<>();
  private PriorityQueue<Entry> requeued;
  private PagedTail tail;
  private int live;
  private int dead;

  /** Dead entries dropped from the heads (part of the expiry cost, for tests). */
  long skipped;

  /** Entries visited by compactions (amortized expiry cost, for tests). */
  long compacted;

  /**
   * @param unpaged told of each entry made again from the paged-out tail
   */
  Lane(int priority, Consumer<Entry> unpaged) {
    this.priority = priority;
    this.unpaged = unpaged;
  }

  void add(Entry e) {
    fresh.addLast(e);
    live++;
  }

  /** A paged-out message joins the compact tail; the entry object is not kept. */
  void addPagedOut(Entry e) {
    if (tail == null) {
      tail = new PagedTail();
    }
    tail.add(e);
    live++;
  }

  boolean hasTail() {
    return tail != null && !tail.isEmpty();
  }

  /** Makes the oldest paged-out message of the tail an entry again (still paged out), or null. */
  Entry unpage() {
    if (!hasTail()) {
      return null;
    }
    Entry e = tail.poll(priority);
    fresh.addLast(e);
    unpaged.accept(e);
    return e;
  }

  void requeue(Entry e) {
    if (requeued == null) {
      requeued = new PriorityQueue<>(BY_ID);
    }
    requeued.add(e);
    live++;
  }

  int live() {
    return live;
  }

  /** Shows every live entry, in no particular order, to {@code f}; the tail's are not entries. */
  void forEachLive(Consumer<Entry> f) {
    for (Entry e : fresh) {
      if (e.state == Entry.State.READY) {
        f.accept(e);
      }
    }
    if (requeued != null) {
      for (Entry e : requeued) {
        if (e.state == Entry.State.READY) {
          f.accept(e);
        }
      }
    }
  }

  /** The queue's TTL is now {@code ttl}: see {@link PagedTail#retime}. */
  void retimeTail(long ttl) {
    if (tail != null) {
      tail.retime(ttl);
    }
  }

  /** The next live entry, or null. */
  Entry peek() {
    Entry head = freshHead();
    Entry back = requeuedHead();
    if (head == null && back == null) {
      head = unpage();
    }
    if (back != null && (head == null || back.id < head.id)) {
      return back;
    }
    return head;
  }

  /** Removes and returns the next live entry, or null. */
  Entry poll() {
    Entry e = peek();
    if (e != null) {
      if (e == fresh.peekFirst()) {
        fresh.pollFirst();
      } else {
        requeued.poll();
      }
      live--;
    }
    return e;
  }

  /** Marks a live entry of this lane dead where it is. */
  void kill(Entry e) {
    e.state = Entry.State.DEAD;
    live--;
    dead++;
    if (live == 0) {
      clear();
    } else if (dead > COMPACT_MIN && dead > live) {
      compacted += dead + live;
      fresh.removeIf(x -> x.state == Entry.State.DEAD);
      if (requeued != null) {
        requeued.removeIf(x -> x.state == Entry.State.DEAD);
      }
      dead = 0;
    }
  }

  /**
   * Shows every live entry to {@code dropped}, then marks it dead and releases its message; returns
   * how many there were.
   */
  int purge(Consumer<Entry> dropped) {
    int n = live;
    for (Entry e : fresh) {
      release(e, dropped);
    }
    if (requeued != null) {
      for (Entry e : requeued) {
        release(e, dropped);
      }
    }
    Entry e;
    while (tail != null && (e = tail.poll(priority)) != null) {
      release(e, dropped);
    }
    clear();
    return n;
  }

  private static void release(Entry e, Consumer<Entry> dropped) {
    if (e.state == Entry.State.READY) {
      dropped.accept(e);
      e.state = Entry.State.DEAD;
      Message m = e.takeMessage();
      if (m != null) {
        m.release();
      }
    }
  }

  private void clear() {
    fresh.clear();
    if (requeued != null) {
      requeued.clear();
    }
    live = 0;
    dead = 0;
  }

  private Entry freshHead() {
    Entry e;
    while ((e = fresh.peekFirst()) != null && e.state == Entry.State.DEAD) {
      fresh.pollFirst();
      dead--;
      skipped++;
    }
    return e;
  }

  private Entry requeuedHead() {
    if (requeued == null) {
      return null;
    }
    Entry e;
    while ((e = requeued.peek()) != null && e.state == Entry.State.DEAD) {
      requeued.poll();
      dead--;
      skipped++;
    }
    return e;
  }
}
