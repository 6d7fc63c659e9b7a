package dev.warren.queue;

import java.util.ArrayList;
import java.util.List;

/**
 * The consumers of a queue, by priority. The next delivery goes to the highest-priority consumer
 * that can take it, round-robin among consumers of equal priority (RabbitMQ's consumer-priority
 * rule). A consumer that cannot take it because it waits for its connection holds back the other
 * consumers of that connection too, so that they do not take in its place what it will take once
 * the connection drains (RabbitMQ blocks a channel's consumers together). Owner: the queue's
 * thread.
 */
final class ConsumerSet implements ConsumerSelection {
  private static final class Group {
    final int priority;
    final List<QueueConsumer> members = new ArrayList<>(2);
    int cursor;

    Group(int priority) {
      this.priority = priority;
    }
  }

  /** Highest priority first. */
  private final List<Group> groups = new ArrayList<>(1);

  /** Other nodes' consumers as their pulls show them; null where the queue has no such. */
  private final RemoteAppetite others;

  ConsumerSet() {
    this(null);
  }

  ConsumerSet(RemoteAppetite others) {
    this.others = others;
  }

  private int size;

  /** The connections found waiting by the last {@link #reserveNext}. */
  private final List<Object> waiting = new ArrayList<>(1);

  @Override
  public void add(QueueConsumer c) {
    int i = 0;
    while (i < groups.size() && groups.get(i).priority > c.priority()) {
      i++;
    }
    if (i == groups.size() || groups.get(i).priority != c.priority()) {
      groups.add(i, new Group(c.priority()));
    }
    groups.get(i).members.add(c);
    size++;
  }

  @Override
  public boolean remove(QueueConsumer c) {
    for (int i = 0; i < groups.size(); i++) {
      Group g = groups.get(i);
      int at = g.members.indexOf(c);
      if (at >= 0) {
        g.members.remove(at);
        size--;
        if (g.members.isEmpty()) {
          groups.remove(i);
        } else {
          // Keep the cursor on the consumer that was next, so nobody is skipped.
          if (at < g.cursor) {
            g.cursor--;
          }
          if (g.cursor >= g.members.size()) {
            g.cursor = 0;
          }
        }
        return true;
      }
    }
    return false;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public List<QueueConsumer> all() {
    List<QueueConsumer> all = new ArrayList<>(size);
    for (Group g : groups) {
      all.addAll(g.members);
    }
    return all;
  }

  @Override
  public boolean allWaitForConnection() {
    for (Group g : groups) {
      for (QueueConsumer c : g.members) {
        if (!c.waitsForConnection() && !waiting.contains(c.connection())) {
          return false;
        }
      }
    }
    return size > 0;
  }

  @Override
  public QueueConsumer reserveNext() {
    waiting.clear();
    int floor = others == null ? Integer.MIN_VALUE : others.floor();
    for (Group g : groups) {
      if (g.priority < floor) {
        others.heldBack(); // another node's consumers of a higher priority want the message
        break;
      }
      int n = g.members.size();
      for (int i = 0; i < n; i++) {
        int at = (g.cursor + i) % n;
        QueueConsumer c = g.members.get(at);
        if (!waiting.isEmpty() && waiting.contains(c.connection())) {
          continue;
        }
        if (c.tryReserve()) {
          g.cursor = (at + 1) % n;
          return c;
        }
        if (c.waitsForConnection()) {
          waiting.add(c.connection());
        }
      }
    }
    return null;
  }

  /** Any pull of another node's consumer: served unless a higher priority waits elsewhere. */
  @Override
  public boolean mayServe(String node, long id, int priority) {
    if (id == SATED) {
      if (others != null) {
        others.sated(node);
      }
      return false;
    }
    return id == 0 || others == null || others.pulled(node, priority);
  }

  @Override
  public long serial(QueueConsumer c) {
    return ANY;
  }

  @Override
  public boolean forgetRemote() {
    if (others != null) {
      others.clear();
    }
    return false;
  }
}
