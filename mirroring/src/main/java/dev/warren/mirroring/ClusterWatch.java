package dev.warren.mirroring;

import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches this node's Raft server every {@link #PERIOD_MILLIS}: which nodes run ({@link Liveness},
 * from the metadata group) and how far behind the followers of the groups this node leads are
 * ({@link ReplicaLag}). What it finds is read from any thread ({@link #nodes}); nothing is asked of
 * the network while a reader waits. A node seen stopped after it ran is reported (the queue groups
 * this node leads take back the messages it took, {@link Loans}).
 *
 * <p>Threads: one daemon thread of its own, {@code cluster-watch-<node>}.
 */
final class ClusterWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterWatch.class);

  /** How often the server is looked at. */
  static final long PERIOD_MILLIS = 1_000;

  /** How long the metadata group's leader has to tell a follower who runs. */
  private static final long ASK_TIMEOUT_MILLIS = 1_000;

  private final String self;
  private final RaftServer server;
  private final RaftGroupId metadataId;
  private final Map<RaftGroupId, String> groups;
  private final RaftClient asker;
  private final Liveness liveness;
  private final ReplicaLag lag;
  private final Consumer<String> stopped;
  private final ScheduledExecutorService thread;

  /**
   * @param metadata the metadata group
   * @param queueGroups the queue groups' ids, by index
   * @param stopped told, on the watch's thread, of each node seen stopped after it ran
   */
  ClusterWatch(
      ClusterConfig config,
      RaftServer server,
      RaftProperties properties,
      RaftGroup metadata,
      List<RaftGroupId> queueGroups,
      Consumer<String> stopped) {
    this.self = config.nodeName();
    this.stopped = stopped;
    this.server = server;
    this.metadataId = metadata.getGroupId();
    this.groups = new LinkedHashMap<>();
    groups.put(metadata.getGroupId(), "metadata group");
    for (int i = 0; i < queueGroups.size(); i++) {
      groups.put(queueGroups.get(i), "queue group " + i);
    }
    RaftProperties asking = new RaftProperties(properties);
    RaftClientConfigKeys.Rpc.setRequestTimeout(
        asking, TimeDuration.valueOf(ASK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
    this.asker =
        RaftClient.newBuilder()
            .setClientId(ClientId.randomId())
            .setRaftGroup(metadata)
            .setProperties(asking)
            .setRetryPolicy(RetryPolicies.noRetry())
            .build();
    this.liveness =
        new Liveness(
            self,
            config.peers().stream().map(ClusterPeer::name).toList(),
            leader -> asker.getGroupManagementApi(leader).info(metadataId).getRoleInfoProto());
    this.lag = new ReplicaLag(self);
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "cluster-watch-" + self);
              t.setDaemon(true);
              return t;
            });
    thread.scheduleWithFixedDelay(this::check, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * The cluster's nodes, {@code members} (the metadata group's configuration), running or not as
   * last checked ({@link Liveness#nodes}).
   */
  List<NodeStatus> nodes(Collection<String> members) {
    return liveness.nodes(System.currentTimeMillis(), members);
  }

  private void check() {
    try {
      long now = System.currentTimeMillis();
      for (Map.Entry<RaftGroupId, String> g : groups.entrySet()) {
        RaftServer.Division d;
        try {
          d = server.getDivision(g.getKey());
        } catch (IOException e) {
          continue; // a queue group this node does not vote in
        }
        if (g.getKey().equals(metadataId)) {
          liveness.check(d.getInfo(), now);
        }
        lag.check(g.getValue(), d.getInfo(), d.getRaftLog().getLastCommittedIndex(), now);
      }
      for (String node : liveness.newlyStopped(now)) {
        LOG.info(
            "node {}: node {} is seen stopped (not heard from for over {} ms)",
            self,
            node,
            Liveness.RUNNING_WITHIN_MILLIS);
        stopped.accept(node);
      }
    } catch (RuntimeException e) {
      LOG.warn("node {}: the cluster watch failed once, goes on", self, e);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(ASK_TIMEOUT_MILLIS * 2, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      asker.close();
    } catch (IOException e) {
      LOG.warn("node {}: the cluster watch's client did not close cleanly", self, e);
    }
  }
}
