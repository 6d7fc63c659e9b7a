package dev.warren.queue;

import java.util.Arrays;

/**
 * Ready entries whose own expiration (shorter than the queue's TTL) sets their deadline, in a
 * binary min-heap by (deadline, id). Each entry knows its slot ({@link Entry#heapIndex}), so one
 * leaving for a consumer is taken out in O(log n) instead of lingering until its deadline.
 *
 * <p>Owner: the queue's thread. Holds no buffer references of its own.
 */
final class ExpiryIndex {
  private Entry[] heap = new Entry[16];
  private int size;

  int size() {
    return size;
  }

  Entry peek() {
    return size == 0 ? null : heap[0];
  }

  void add(Entry e) {
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    heap[size] = e;
    e.heapIndex = size;
    size++;
    up(e.heapIndex);
  }

  /** Takes {@code e} out if it is in the index. */
  void remove(Entry e) {
    int at = e.heapIndex;
    if (at < 0) {
      return;
    }
    e.heapIndex = -1;
    size--;
    Entry last = heap[size];
    heap[size] = null;
    if (at < size) {
      put(at, last);
      if (!up(at)) {
        down(at);
      }
    }
  }

  void clear() {
    for (int i = 0; i < size; i++) {
      heap[i].heapIndex = -1;
      heap[i] = null;
    }
    size = 0;
  }

  private static boolean before(Entry a, Entry b) {
    return a.deadline < b.deadline || (a.deadline == b.deadline && a.id < b.id);
  }

  /** Moves the entry at {@code at} up to its place; returns whether it moved. */
  private boolean up(int at) {
    Entry e = heap[at];
    int start = at;
    while (at > 0) {
      int parent = (at - 1) >>> 1;
      if (!before(e, heap[parent])) {
        break;
      }
      put(at, heap[parent]);
      at = parent;
    }
    put(at, e);
    return at != start;
  }

  private void down(int at) {
    Entry e = heap[at];
    while (true) {
      int child = 2 * at + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && before(heap[child + 1], heap[child])) {
        child++;
      }
      if (!before(heap[child], e)) {
        break;
      }
      put(at, heap[child]);
      at = child;
    }
    put(at, e);
  }

  private void put(int at, Entry e) {
    heap[at] = e;
    e.heapIndex = at;
  }
}
