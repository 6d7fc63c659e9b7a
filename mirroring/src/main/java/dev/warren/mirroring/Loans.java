package dev.warren.mirroring;

import dev.warren.mirroring.ForwardedCommand.Sender;
import dev.warren.storage.RemoteQueue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * The messages that queues of a group this node leads lent to other nodes: taken by a forwarded GET
 * for the sender's consumers, out unacked here until the sender acks or rejects them. When the
 * sender can no longer do that, they are recalled: requeued here, to be delivered again, flagged
 * redelivered, to whoever consumes. That happens when its node is seen stopped ({@link Liveness}:
 * killed, paused, or cut off from the metadata group's majority) and when it started again (a
 * command from another incarnation of it; a node greets each leader it learns of, {@link
 * ForwardedCommand.Op#HELLO}). Without this, a dead node's messages stayed out here until the
 * group's leader changed.
 *
 * <p>A recalled message may still reach a consumer on the sender's node (a reply in flight, a node
 * cut off but running): it is then delivered twice, which at-least-once allows; its ack from there
 * is still applied if it arrives. Loans last while this node leads: another leader rebuilds the
 * queues from the log, with every unacked message back ({@link #clear}).
 *
 * <p>Threads: any; guarded by this. Requeues go to the queues outside the lock.
 */
final class Loans {
  /** What one node took. */
  private static final class Borrower {
    long incarnation;

    /** Bumped by each recall: a GET that started before one lends nothing. */
    long generation;

    /** Message ids out, by queue id. */
    final Map<Long, Set<Long>> ids = new HashMap<>();

    Borrower(long incarnation) {
      this.incarnation = incarnation;
    }
  }

  private final LongFunction<RemoteQueue> queues;
  private final Map<String, Borrower> borrowers = new HashMap<>();

  /**
   * @param queues the queue serving each queue id here, or null
   */
  Loans(LongFunction<RemoteQueue> queues) {
    this.queues = queues;
  }

  /**
   * A command came from {@code sender}: if its node ran as another incarnation before, what that
   * one took is recalled. Returns the token a GET then hands to {@link #lent}.
   */
  long heardFrom(Sender sender) {
    Map<Long, Set<Long>> recalled = null;
    long generation;
    synchronized (this) {
      Borrower b =
          borrowers.computeIfAbsent(sender.node(), n -> new Borrower(sender.incarnation()));
      if (b.incarnation != sender.incarnation()) {
        b.incarnation = sender.incarnation();
        recalled = takeAll(b);
      }
      generation = b.generation;
    }
    requeue(recalled);
    return generation;
  }

  /**
   * {@code sender} took {@code ids} from queue {@code queueId} with a GET that started at {@code
   * generation}: recalled at once if its node was recalled meanwhile.
   */
  void lent(Sender sender, long generation, long queueId, long[] ids) {
    if (ids.length == 0) {
      return;
    }
    synchronized (this) {
      Borrower b = borrowers.get(sender.node());
      if (b != null && b.generation == generation && b.incarnation == sender.incarnation()) {
        Set<Long> out = b.ids.computeIfAbsent(queueId, q -> new HashSet<>());
        for (long id : ids) {
          out.add(id);
        }
        return;
      }
    }
    requeue(Map.of(queueId, toSet(ids)));
  }

  /** {@code node} acked or rejected {@code ids} of queue {@code queueId}. */
  synchronized void settled(String node, long queueId, long[] ids) {
    Borrower b = borrowers.get(node);
    Set<Long> out = b == null ? null : b.ids.get(queueId);
    if (out == null) {
      return;
    }
    for (long id : ids) {
      out.remove(id);
    }
    if (out.isEmpty()) {
      b.ids.remove(queueId);
    }
  }

  /** {@code node} was seen stopped: everything it took is requeued. Returns how many. */
  int recall(String node) {
    Map<Long, Set<Long>> recalled;
    synchronized (this) {
      Borrower b = borrowers.get(node);
      if (b == null) {
        return 0;
      }
      recalled = takeAll(b);
    }
    return requeue(recalled);
  }

  /** This node stopped leading: the next leader has every unacked message back. */
  synchronized void clear() {
    for (Borrower b : borrowers.values()) {
      b.ids.clear();
      b.generation++;
    }
  }

  /** Queue {@code queueId} is gone from here. */
  synchronized void forget(long queueId) {
    borrowers.values().forEach(b -> b.ids.remove(queueId));
  }

  private static Map<Long, Set<Long>> takeAll(Borrower b) {
    b.generation++;
    Map<Long, Set<Long>> all = new HashMap<>(b.ids);
    b.ids.clear();
    return all;
  }

  /** Requeues, in id order; returns how many. */
  private int requeue(Map<Long, Set<Long>> recalled) {
    if (recalled == null) {
      return 0;
    }
    int n = 0;
    for (Map.Entry<Long, Set<Long>> e : recalled.entrySet()) {
      RemoteQueue q = queues.apply(e.getKey());
      if (q != null && !e.getValue().isEmpty()) {
        List<Long> sorted = new ArrayList<>(e.getValue());
        sorted.sort(null);
        q.reject(sorted.stream().mapToLong(Long::longValue).toArray(), true);
        n += sorted.size();
      }
    }
    return n;
  }

  private static Set<Long> toSet(long[] ids) {
    Set<Long> set = new HashSet<>();
    for (long id : ids) {
      set.add(id);
    }
    return set;
  }
}
