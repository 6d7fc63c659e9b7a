package dev.warren.mirroring;

import dev.warren.mirroring.ForwardedCommand.Sender;
import dev.warren.storage.RemoteQueue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * The messages that queues of a group this node leads lent to other nodes: taken by a forwarded GET
 * for the sender's consumers, out unacked here until the sender acks or rejects them. When the
 * sender can no longer do that, they are recalled: requeued here, to be delivered again, flagged
 * redelivered, to whoever consumes. That happens when its node is seen stopped ({@link Liveness}:
 * killed, paused, or cut off from the metadata group's majority) and when it started again (a
 * command from another incarnation of it; a node greets each leader it learns of, {@link
 * ForwardedCommand.Op#HELLO}). Without this, a dead node's messages stayed out here until the
 * group's leader changed. And when a GET failed at its sender (no answer in time, its connection
 * replaced): the sender cancels it by its token ({@link ForwardedCommand.Op#CANCEL}), and what it
 * took, never delivered there, goes back; before, such messages stayed out here for good.
 *
 * <p>The same events make the leader forget the consumer the node put forward to be a queue's
 * single active one ({@link RemoteQueue#nodeGone}).
 *
 * <p>A recalled message may still reach a consumer on the sender's node (a reply in flight, a node
 * cut off but running): it is then delivered twice, which at-least-once allows; its ack from there
 * is still applied if it arrives. Loans last while this node leads: another leader rebuilds the
 * queues from the log, with every unacked message back ({@link #clear}).
 *
 * <p>Threads: any; guarded by this. Requeues go to the queues outside the lock.
 */
final class Loans {
  /** Cancelled tokens kept per node for GETs not seen yet (or that took nothing), at most. */
  static final int CANCELLED_KEPT = 1024;

  /** What one GET took, and how many of those are still out. */
  private static final class Get {
    final long queueId;
    final long[] ids;
    int out;

    Get(long queueId, long[] ids) {
      this.queueId = queueId;
      this.ids = ids;
      this.out = ids.length;
    }
  }

  /** What one node took. */
  private static final class Borrower {
    long incarnation;

    /** Bumped by each recall: a GET that started before one lends nothing. */
    long generation;

    /** Message ids out, each with the token of the GET that took it, by queue id. */
    final Map<Long, Map<Long, Long>> ids = new HashMap<>();

    /** The GETs with messages out, by token. */
    final Map<Long, Get> gets = new HashMap<>();

    /** Tokens cancelled that named no GET here yet, oldest first. */
    final Set<Long> cancelled = new LinkedHashSet<>();

    Borrower(long incarnation) {
      this.incarnation = incarnation;
    }

    /** Everything out, by queue id; forgets it. */
    Map<Long, Set<Long>> takeAll() {
      generation++;
      Map<Long, Set<Long>> all = new HashMap<>();
      ids.forEach((queueId, out) -> all.put(queueId, new HashSet<>(out.keySet())));
      ids.clear();
      gets.clear();
      return all;
    }

    /** {@code id} of queue {@code queueId} is no longer out; whether it was. */
    boolean settle(long queueId, long id) {
      Map<Long, Long> out = ids.get(queueId);
      Long token = out == null ? null : out.remove(id);
      if (token == null) {
        return false;
      }
      if (out.isEmpty()) {
        ids.remove(queueId);
      }
      Get g = gets.get(token);
      if (g != null && --g.out == 0) {
        gets.remove(token);
      }
      return true;
    }
  }

  private final LongFunction<RemoteQueue> queues;
  private final Consumer<String> gone;
  private final Map<String, Borrower> borrowers = new HashMap<>();

  /**
   * @param queues the queue serving each queue id here, or null
   * @param gone told of each node whose loans are recalled (it stopped, or runs anew), outside the
   *     lock: what else it held here goes too (the consumer it put forward)
   */
  Loans(LongFunction<RemoteQueue> queues, Consumer<String> gone) {
    this.queues = queues;
    this.gone = gone;
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
        b.cancelled.clear();
        recalled = b.takeAll();
      }
      generation = b.generation;
    }
    if (recalled != null) {
      gone.accept(sender.node());
    }
    requeue(recalled);
    return generation;
  }

  /**
   * {@code sender}'s GET {@code token}, which started at {@code generation}, took {@code ids} from
   * queue {@code queueId}: given back at once if its node was recalled meanwhile or the GET was
   * cancelled already.
   */
  void lent(Sender sender, long generation, long queueId, long token, long[] ids) {
    synchronized (this) {
      Borrower b = borrowers.get(sender.node());
      boolean current =
          b != null && b.generation == generation && b.incarnation == sender.incarnation();
      if (current && !b.cancelled.remove(token)) {
        if (ids.length > 0) {
          Map<Long, Long> out = b.ids.computeIfAbsent(queueId, q -> new HashMap<>());
          for (long id : ids) {
            out.put(id, token);
          }
          b.gets.put(token, new Get(queueId, ids));
        }
        return;
      }
    }
    requeue(Map.of(queueId, toSet(ids)));
  }

  /** {@code node} acked or rejected {@code ids} of queue {@code queueId}. */
  synchronized void settled(String node, long queueId, long[] ids) {
    Borrower b = borrowers.get(node);
    if (b != null) {
      for (long id : ids) {
        b.settle(queueId, id);
      }
    }
  }

  /**
   * {@code sender}'s GET {@code token} failed there: what it took and is still out goes back. A GET
   * not seen yet lends nothing when it comes. Returns how many went back.
   */
  int cancel(Sender sender, long token) {
    Map<Long, Set<Long>> back;
    synchronized (this) {
      Borrower b = borrowers.get(sender.node());
      if (b == null || b.incarnation != sender.incarnation()) {
        return 0;
      }
      Get g = b.gets.get(token);
      if (g == null) {
        b.cancelled.add(token);
        if (b.cancelled.size() > CANCELLED_KEPT) {
          Iterator<Long> oldest = b.cancelled.iterator();
          oldest.next();
          oldest.remove();
        }
        return 0;
      }
      Set<Long> ids = new HashSet<>();
      for (long id : g.ids) {
        if (b.settle(g.queueId, id)) {
          ids.add(id);
        }
      }
      back = Map.of(g.queueId, ids);
    }
    return requeue(back);
  }

  /** {@code node} was seen stopped: everything it took is requeued. Returns how many. */
  int recall(String node) {
    gone.accept(node);
    Map<Long, Set<Long>> recalled;
    synchronized (this) {
      Borrower b = borrowers.get(node);
      if (b == null) {
        return 0;
      }
      recalled = b.takeAll();
    }
    return requeue(recalled);
  }

  /** This node stopped leading: the next leader has every unacked message back. */
  synchronized void clear() {
    borrowers.values().forEach(Borrower::takeAll);
  }

  /** Queue {@code queueId} is gone from here. */
  synchronized void forget(long queueId) {
    for (Borrower b : borrowers.values()) {
      b.ids.remove(queueId);
      b.gets.values().removeIf(g -> g.queueId == queueId);
    }
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
