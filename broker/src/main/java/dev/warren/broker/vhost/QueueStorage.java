package dev.warren.broker.vhost;

import dev.warren.mirroring.QueueGroups;
import dev.warren.persistence.definitions.PutQueue;
import dev.warren.persistence.journal.Journal;
import dev.warren.storage.MessageLog;
import dev.warren.storage.SpillStore;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where queues keep their messages (DESIGN.md sections 1 and 4), chosen by queue type: the log of a
 * durable queue is the node journal's, except for a quorum queue in a cluster, whose log is its
 * queue group's (mirroring's {@link QueueGroups}: replicated through Raft); every queue pages out
 * to a spill store of the node's. The only place the broker names the node journal as a store is
 * {@link #onNode}. Thread-safe.
 */
public final class QueueStorage {
  /** The stores of one queue: a log (null for a transient queue) and a spill store. */
  public record Stores(MessageLog log, SpillStore spill) {}

  private final Journal journal;
  private final QueueGroups groups;
  private final Supplier<SpillStore> spills;

  private QueueStorage(Journal journal, QueueGroups groups) {
    this.journal = journal;
    this.groups = groups;
    this.spills = journal::newSpill;
  }

  /** Everything in the node's journal: classic and quorum queues alike (a single node). */
  public static QueueStorage onNode(Journal journal) {
    return new QueueStorage(journal, null);
  }

  /**
   * A node of a cluster: quorum queues in the queue groups, everything else in the node's journal.
   */
  public static QueueStorage inCluster(Journal journal, QueueGroups groups) {
    return new QueueStorage(journal, groups);
  }

  /**
   * The queue group a new durable queue goes to: one of the cluster's for a quorum queue, or a
   * classic one that a policy with {@code ha-mode} applies to as it is declared ({@code
   * mirroredByPolicy}); {@link PutQueue#NO_GROUP} otherwise. The declaring node chooses; the
   * definition records it, so a queue never moves (a policy set or removed later changes nothing).
   */
  public int groupFor(
      String vhost, String name, Map<String, Object> arguments, boolean mirroredByPolicy) {
    boolean replicate = QueueType.of(arguments) == QueueType.QUORUM || mirroredByPolicy;
    return groups != null && replicate ? groups.assign(vhost, name) : PutQueue.NO_GROUP;
  }

  /** Whether a stored queue's log is its queue group's (it serves only where its group leads). */
  public boolean replicated(PutQueue queue) {
    return groups != null && queue.queueGroup() != PutQueue.NO_GROUP;
  }

  /** The stores of a stored queue, whose log has id {@code queueId}. */
  public Stores durable(PutQueue queue, long queueId) {
    MessageLog log =
        replicated(queue) ? groups.log(queue.queueGroup(), queueId) : journal.log(queueId);
    return new Stores(log, spills.get());
  }

  /** The stores of a queue whose messages do not survive a restart: a spill store only. */
  public Stores transientQueue() {
    return new Stores(null, spills.get());
  }
}
