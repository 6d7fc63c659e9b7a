package dev.warren.broker.management;

import dev.warren.broker.NodeName;
import dev.warren.broker.metadata.ClusterMembership;
import dev.warren.management.spi.ClusterNode;
import dev.warren.management.spi.QueueReplicas;
import dev.warren.mirroring.NodeStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The cluster as the management API shows it: this node's name (its {@code --node-name} in a
 * cluster, {@link NodeName#local()} alone), the other nodes and whether they run (mirroring's rule:
 * heard by the metadata group's leader within a few seconds), and where each quorum queue's
 * replicas are. Any thread; reads what the cluster watch and the queue groups' state machines last
 * published.
 */
final class ClusterFigures {
  private final ClusterMembership cluster;
  private final String self;

  /**
   * @param cluster this node's part in the cluster, or null on a single node
   * @param self this node's name
   */
  ClusterFigures(ClusterMembership cluster, String self) {
    this.cluster = cluster;
    this.self = self;
  }

  String self() {
    return self;
  }

  /** The other nodes of the cluster; none on a single node. */
  List<ClusterNode> others() {
    if (cluster == null) {
      return List.of();
    }
    List<ClusterNode> others = new ArrayList<>();
    for (NodeStatus n : cluster.nodeStatus()) {
      if (!n.name().equals(self)) {
        others.add(new ClusterNode(n.name(), n.running()));
      }
    }
    return others;
  }

  /**
   * Where quorum queues' replicas are as of now: one reading of who runs, each group's answer made
   * once, for a whole listing.
   */
  Replicas replicas() {
    return new Replicas(cluster, cluster == null ? Set.of() : running(), self);
  }

  private Set<String> running() {
    Set<String> running = new HashSet<>();
    for (NodeStatus n : cluster.nodeStatus()) {
      if (n.running()) {
        running.add(n.name());
      }
    }
    return running;
  }

  /** One reading of the replicas of quorum queues. Used by one thread. */
  static final class Replicas {
    private final ClusterMembership cluster;
    private final Set<String> running;
    private final String self;
    private final QueueReplicas[] byGroup;

    private Replicas(ClusterMembership cluster, Set<String> running, String self) {
      this.cluster = cluster;
      this.running = running;
      this.self = self;
      this.byGroup = cluster == null ? null : new QueueReplicas[cluster.groupCount()];
    }

    /**
     * The replicas of the quorum queue {@code name} of {@code vhost}: on a single node, the node
     * itself; in a cluster, its group's leader, voters and the voters running.
     */
    QueueReplicas of(String vhost, String name) {
      if (cluster == null) {
        return QueueReplicas.single(self);
      }
      int group = cluster.queueGroup(vhost, name);
      QueueReplicas r = byGroup[group];
      if (r == null) {
        List<String> members = cluster.groupMembers(group);
        List<String> online = members.stream().filter(running::contains).toList();
        r = new QueueReplicas(cluster.groupLeader(group), members, online);
        byGroup[group] = r;
      }
      return r;
    }
  }
}
