package dev.warren.queue;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code x-single-active-consumer}: one consumer receives, the others wait. The first registered is
 * active; when it leaves, the waiting consumer with the highest priority takes over, the earliest
 * registered among equals. Owner: the queue's thread.
 */
final class SingleActiveConsumer implements Consumers {
  private final List<Consumer> waiting = new ArrayList<>(2);
  private Consumer active;

  @Override
  public void add(Consumer c) {
    if (active == null) {
      active = c;
    } else {
      waiting.add(c);
    }
  }

  @Override
  public boolean remove(Consumer c) {
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
    return true;
  }

  /** The consumer that receives, or null. */
  Consumer active() {
    return active;
  }

  @Override
  public int size() {
    return waiting.size() + (active == null ? 0 : 1);
  }

  @Override
  public List<Consumer> all() {
    List<Consumer> all = new ArrayList<>(size());
    if (active != null) {
      all.add(active);
    }
    all.addAll(waiting);
    return all;
  }

  @Override
  public Consumer reserveNext() {
    return active != null && active.tryReserve() ? active : null;
  }

  @Override
  public boolean allWaitForConnection() {
    return active != null && active.waitsForConnection();
  }
}
