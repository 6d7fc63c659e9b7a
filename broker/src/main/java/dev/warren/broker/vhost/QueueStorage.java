package dev.warren.broker.vhost;

import dev.warren.persistence.journal.Journal;
import dev.warren.storage.MessageLog;
import dev.warren.storage.SpillStore;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * Where queues keep their messages (DESIGN.md sections 1 and 4), chosen by queue type: the log of a
 * durable queue comes from the log factory of its type, and every queue pages out to a spill store
 * of the node's. The only place the broker names the node journal as a store is {@link #onNode}.
 * Thread-safe.
 */
public final class QueueStorage {
  /** The stores of one queue: a log (null for a transient queue) and a spill store. */
  public record Stores(MessageLog log, SpillStore spill) {}

  private final Map<QueueType, LongFunction<MessageLog>> logs;
  private final Supplier<SpillStore> spills;

  private QueueStorage(Map<QueueType, LongFunction<MessageLog>> logs, Supplier<SpillStore> spills) {
    this.logs = logs;
    this.spills = spills;
  }

  /**
   * Everything in the node's journal: classic and quorum queues alike (until the cluster gives
   * quorum queues a replicated log), and every spill.
   */
  public static QueueStorage onNode(Journal journal) {
    Map<QueueType, LongFunction<MessageLog>> logs = new EnumMap<>(QueueType.class);
    logs.put(QueueType.CLASSIC, journal::log);
    logs.put(QueueType.QUORUM, journal::log);
    return new QueueStorage(logs, journal::newSpill);
  }

  /** The stores of a durable queue of {@code type}, whose log has id {@code queueId}. */
  public Stores durable(QueueType type, long queueId) {
    return new Stores(logs.get(type).apply(queueId), spills.get());
  }

  /** The stores of a queue whose messages do not survive a restart: a spill store only. */
  public Stores transientQueue() {
    return new Stores(null, spills.get());
  }
}
