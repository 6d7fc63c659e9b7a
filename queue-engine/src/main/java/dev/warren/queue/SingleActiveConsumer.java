package dev.warren.queue;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code x-single-active-consumer}: one consumer receives, the others wait. The first registered is
 * active; when it leaves, the waiting consumer with the highest priority takes over, the earliest
 * registered among equals. Owner: the queue's thread.
 */
final class SingleActiveConsumer implements ConsumerSelection {
  private final List<QueueConsumer> waiting = new ArrayList<>(2);
  private QueueConsumer active;

  @Override
  public void add(QueueConsumer c) {
    if (active == null) {
      active = c;
    } else {
      waiting.add(c);
    }
    c.singleActive(c == active);
  }

  @Override
  public boolean remove(QueueConsumer c) {
    if (c != active) {
      return waiting.remove(c);
    }
    int next = -1;
    for (int i = 0; i < waiting.size(); i++) {
      if (next < 0 || waiting.get(i).priority() > waiting.get(next).priority()) {
        next = i;
      }
    }
    active = next < 0 ? null : waiting.remove(next);
    if (active != null) {
      active.singleActive(true);
    }
    return true;
  }

  /** The consumer that receives, or null. */
  QueueConsumer active() {
    return active;
  }

  @Override
  public int size() {
    return waiting.size() + (active == null ? 0 : 1);
  }

  @Override
  public List<QueueConsumer> all() {
    List<QueueConsumer> all = new ArrayList<>(size());
    if (active != null) {
      all.add(active);
    }
    all.addAll(waiting);
    return all;
  }

  @Override
  public QueueConsumer reserveNext() {
    return active != null && active.tryReserve() ? active : null;
  }

  @Override
  public boolean allWaitForConnection() {
    return active != null && active.waitsForConnection();
  }
}
