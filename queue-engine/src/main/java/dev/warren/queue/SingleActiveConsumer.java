package dev.warren.queue;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code x-single-active-consumer}: one consumer receives, the others wait. The first registered is
 * active; when it leaves, the waiting consumer with the highest priority takes over, the earliest
 * registered among equals. Owner: the queue's thread.
 *
 * <p>In a cluster the choice spans the nodes. The node that leads the queue's log makes it: each
 * other node puts forward its own first consumer ({@link #candidate}, sent with {@link
 * dev.warren.storage.RemoteQueue#contend}), which waits here beside the local ones as a {@link
 * Remote}. While a remote one is active, no local consumer receives, and only that node's GETs for
 * it are served ({@link #mayServe}). The contenders of a node that stopped or restarted, and all of
 * them when this node stops leading, are forgotten.
 */
final class SingleActiveConsumer implements ConsumerSelection {

  /** A consumer that may become the active one. */
  private sealed interface Contender permits Local, Remote {
    int priority();
  }

  /** One of this queue's consumers; {@code serial}: its number here, for other nodes. */
  private record Local(QueueConsumer consumer, long serial) implements Contender {
    @Override
    public int priority() {
      return consumer.priority();
    }
  }

  /** The first consumer of another node: {@code id} is its {@link #candidate} serial there. */
  private record Remote(String node, long id, int priority) implements Contender {}

  private final List<Contender> waiting = new ArrayList<>(2);
  private Contender active;
  private int locals;
  private long serials;

  @Override
  public void add(QueueConsumer c) {
    locals++;
    enter(new Local(c, ++serials));
  }

  private void enter(Contender c) {
    if (active == null) {
      activate(c);
    } else {
      waiting.add(c);
      if (c instanceof Local l) {
        l.consumer().singleActive(false);
      }
    }
  }

  @Override
  public boolean remove(QueueConsumer c) {
    Contender leaving = find(c);
    if (leaving == null) {
      return false;
    }
    locals--;
    leave(leaving);
    return true;
  }

  private Local find(QueueConsumer c) {
    if (active instanceof Local l && l.consumer() == c) {
      return l;
    }
    for (Contender w : waiting) {
      if (w instanceof Local l && l.consumer() == c) {
        return l;
      }
    }
    return null;
  }

  /** Takes {@code c} out; if it was active, the next takes over. */
  private void leave(Contender c) {
    if (c != active) {
      waiting.remove(c);
      return;
    }
    int next = -1;
    for (int i = 0; i < waiting.size(); i++) {
      if (next < 0 || waiting.get(i).priority() > waiting.get(next).priority()) {
        next = i;
      }
    }
    active = null;
    if (next >= 0) {
      activate(waiting.remove(next));
    }
  }

  private void activate(Contender c) {
    active = c;
    if (c instanceof Local l) {
      l.consumer().singleActive(true);
    }
  }

  @Override
  public boolean contend(String node, long id, int priority) {
    Contender was = active;
    Remote before = remote(node);
    if (before != null && before.id() == id) {
      return false;
    }
    if (before != null) {
      leave(before);
    }
    if (id != 0) {
      enter(new Remote(node, id, priority));
    }
    return active != was;
  }

  @Override
  public boolean forgetRemote() {
    Contender was = active;
    for (Contender c : new ArrayList<>(waiting)) {
      if (c instanceof Remote r) {
        leave(r);
      }
    }
    if (active instanceof Remote r) {
      leave(r);
    }
    return active != was;
  }

  private Remote remote(String node) {
    if (active instanceof Remote r && r.node().equals(node)) {
      return r;
    }
    for (Contender c : waiting) {
      if (c instanceof Remote r && r.node().equals(node)) {
        return r;
      }
    }
    return null;
  }

  /** Whether node {@code node}'s consumer {@code id} is the active one; any basic.get (0) is. */
  @Override
  public boolean mayServe(String node, long id, int priority) {
    return id == 0 || (active instanceof Remote r && r.node().equals(node) && r.id() == id);
  }

  /** The local consumer this node puts forward: its first. */
  @Override
  public Candidate candidate() {
    return active instanceof Local l ? new Candidate(l.serial(), l.priority()) : Candidate.NONE;
  }

  @Override
  public long serial(QueueConsumer c) {
    Local l = find(c);
    return l == null ? 0 : l.serial();
  }

  @Override
  public int size() {
    return locals;
  }

  @Override
  public List<QueueConsumer> all() {
    List<QueueConsumer> all = new ArrayList<>(locals);
    if (active instanceof Local l) {
      all.add(l.consumer());
    }
    for (Contender c : waiting) {
      if (c instanceof Local l) {
        all.add(l.consumer());
      }
    }
    return all;
  }

  @Override
  public QueueConsumer reserveNext() {
    return active instanceof Local l && l.consumer().tryReserve() ? l.consumer() : null;
  }

  @Override
  public boolean allWaitForConnection() {
    return active instanceof Local l && l.consumer().waitsForConnection();
  }
}
