package dev.warren.broker.metadata;

import dev.warren.broker.access.AccessControl;
import dev.warren.broker.policy.Policies;
import dev.warren.broker.vhost.QueueStorage;
import dev.warren.broker.vhost.VirtualHosts;
import dev.warren.mirroring.ClusterConfig;
import dev.warren.mirroring.MembershipException;
import dev.warren.mirroring.MetadataGroup;
import dev.warren.mirroring.NodeStatus;
import dev.warren.mirroring.QueueGroups;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node in the cluster: its member of the metadata group (mirroring's {@link MetadataGroup},
 * its Raft log under {@code <data-dir>/}{@value #DIRECTORY}), with the metadata writer switched to
 * replicate every change of definitions through it, and of the queue groups ({@link QueueGroups},
 * on the same Raft server, each log in a directory of its own there) that quorum queues keep their
 * messages in. Exists only when the broker is started with the cluster flags.
 *
 * <p>Threads: {@link #join} and {@link #close} from the thread that starts and stops the broker.
 */
public final class ClusterMembership implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterMembership.class);

  /** Where the Raft log of the metadata group lives, under the data directory. */
  public static final String DIRECTORY = "cluster";

  private final MetadataGroup group;
  private final QueueGroups queueGroups;

  private ClusterMembership(MetadataGroup group, QueueGroups queueGroups) {
    this.group = group;
    this.queueGroups = queueGroups;
  }

  /**
   * Starts this node's member of the metadata group and makes {@code metadata} replicate through
   * it. Call after the definitions are rebuilt from the store and before clients connect: entries
   * committed while this node was away are then applied on top of what it had.
   *
   * @throws UncheckedIOException if the Raft log cannot be opened or the cluster port bound
   */
  public static ClusterMembership join(
      ClusterConfig config,
      Path dataDir,
      MetadataProxy metadata,
      VirtualHosts vhosts,
      AccessControl access,
      Policies policies,
      QueueStorage storage,
      QueueGroups queueGroups,
      EventLoopGroup loops) {
    MetadataGroup group;
    try {
      group = MetadataGroup.start(config, dataDir.resolve(DIRECTORY), metadata, queueGroups);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "node " + config.nodeName() + " cannot start its metadata group member: " + e, e);
    }
    metadata.replicate(
        group,
        new CommittedEffects(vhosts, access, policies, storage, loops),
        config.commitTimeout().toNanos());
    catchUp(config, metadata);
    return new ClusterMembership(group, queueGroups);
  }

  /**
   * Waits until this node has applied every entry the cluster committed before it came: an empty
   * entry of its own, committed and applied here, comes after all of them. So the clients of a node
   * restarted while others declared things find them at once. Without a majority within the commit
   * timeout the node starts with the definitions it has, and catches up as entries arrive.
   */
  private static void catchUp(ClusterConfig config, MetadataProxy metadata) {
    long started = System.nanoTime();
    try {
      metadata.call(writer -> writer.applyAll(List.of())).get();
      LOG.info(
          "node {} caught up with the metadata log in {} ms",
          config.nodeName(),
          (System.nanoTime() - started) / 1_000_000);
    } catch (ExecutionException e) {
      LOG.warn(
          "node {} starts with the definitions it has, not yet caught up with the cluster: {}",
          config.nodeName(),
          e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while catching up with the cluster", e);
    }
  }

  /** The node leading the metadata group as this node last heard, or null while it knows none. */
  public String leader() {
    return group.leader();
  }

  /** The cluster's nodes (the metadata group's voters, as this node has them), by name. */
  public Set<String> nodes() {
    return group.nodes();
  }

  /**
   * Removes the stopped node {@code node} from the cluster (rabbitmqctl's forget_cluster_node);
   * blocking.
   *
   * @throws MembershipException when refused or a reconfiguration failed, saying why
   */
  public void forget(String node) throws MembershipException {
    group.forget(node);
  }

  /**
   * The node leading the queue group of the quorum queue {@code queue} of {@code vhost}, as this
   * node last heard, or null while it knows none.
   */
  public String queueLeader(String vhost, String queue) {
    return queueGroups.leader(queueGroup(vhost, queue));
  }

  /** The queue group of the quorum queue {@code queue} of {@code vhost}. */
  public int queueGroup(String vhost, String queue) {
    return queueGroups.assign(vhost, queue);
  }

  /** The node leading queue group {@code group} as this node last heard, or null. */
  public String groupLeader(int group) {
    return queueGroups.leader(group);
  }

  /** The voters of queue group {@code group}, by name. */
  public List<String> groupMembers(int group) {
    return queueGroups.members(group);
  }

  /** How many queue groups the cluster has. */
  public int groupCount() {
    return queueGroups.count();
  }

  /** Every node of the cluster and whether it runs, as this node last checked (about a second). */
  public List<NodeStatus> nodeStatus() {
    return group.nodeStatus();
  }

  /** Stops this node's member of the metadata group and of the queue groups. */
  @Override
  public void close() {
    group.close();
  }
}
