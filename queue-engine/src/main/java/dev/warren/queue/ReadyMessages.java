package dev.warren.queue;

import java.util.ArrayDeque;
import java.util.PriorityQueue;

/**
 * The messages of a queue waiting for a consumer, in queue order. New messages join the tail; a
 * requeued message goes back to its original place, which is always ahead of every message never
 * delivered (those are newer), so requeued ones wait in a heap ordered by id and are served first.
 * Owner: the queue's thread.
 */
final class ReadyMessages {
  /** A message in a queue. {@code id} orders the queue; the entry owns one reference. */
  record Entry(long id, Message message, boolean redelivered) {}

  private final ArrayDeque<Entry> fresh = new ArrayDeque<>();
  private final PriorityQueue<Entry> requeued =
      new PriorityQueue<>((a, b) -> Long.compare(a.id(), b.id()));

  void add(Entry entry) {
    fresh.addLast(entry);
  }

  void requeue(Entry entry) {
    requeued.add(new Entry(entry.id(), entry.message(), true));
  }

  Entry poll() {
    Entry back = requeued.peek();
    if (back != null) {
      Entry head = fresh.peekFirst();
      if (head == null || back.id() < head.id()) {
        return requeued.poll();
      }
    }
    return fresh.pollFirst();
  }

  int size() {
    return fresh.size() + requeued.size();
  }

  boolean isEmpty() {
    return fresh.isEmpty() && requeued.isEmpty();
  }

  /** Drops every ready message; returns how many. */
  int purge() {
    int n = size();
    for (Entry e : fresh) {
      e.message().release();
    }
    for (Entry e : requeued) {
      e.message().release();
    }
    fresh.clear();
    requeued.clear();
    return n;
  }
}
