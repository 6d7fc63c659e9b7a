package dev.warren.management.spi;

import java.util.List;

/**
 * Where a quorum queue's replicas are, as RabbitMQ's API shows them.
 *
 * @param leader the node leading the queue's Raft group, or null while none is known (shown as
 *     {@code ""}, as RabbitMQ shows a leader not known to be alive)
 * @param members the nodes holding a replica (the group's voters)
 * @param online the members running now
 */
public record QueueReplicas(String leader, List<String> members, List<String> online) {

  public QueueReplicas {
    members = List.copyOf(members);
    online = List.copyOf(online);
  }

  /** A queue whose only replica is on the node {@code node}. */
  public static QueueReplicas single(String node) {
    return new QueueReplicas(node, List.of(node), List.of(node));
  }
}
