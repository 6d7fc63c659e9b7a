package dev.warren.mirroring;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes of the cluster's nodes at run time, with Ratis' own reconfiguration (a {@code
 * setConfiguration} sent to a group's leader): never a protocol of ours. The committed
 * configuration of the metadata group is which nodes the cluster has; {@code --cluster-peers} only
 * says where to find them and forms the cluster the first time.
 *
 * <p>Joining: a node started on an empty data directory asks the nodes of its peer list for the
 * metadata group's configuration ({@link #configuration}). When a node that is in it answers and
 * this node is not, this node starts its Raft server with that configuration (Ratis then waits,
 * outside the configuration, without elections) and asks the leader to add it as a voter ({@link
 * #join}). Ratis' leader first catches the new node up (log or snapshot; it does not count toward a
 * majority meanwhile), then commits the configuration with it.
 *
 * <p>Threads: called from the thread that starts the broker; blocking.
 */
final class Membership {
  private static final Logger LOG = LoggerFactory.getLogger(Membership.class);

  /** The most a node of the peer list is waited for when asked about the cluster. */
  private static final TimeDuration ASK_TIMEOUT = TimeDuration.valueOf(1, TimeUnit.SECONDS);

  /** The most a reconfiguration waits: the new node catches up with the whole log first. */
  static final TimeDuration RECONFIGURE_TIMEOUT = TimeDuration.valueOf(60, TimeUnit.SECONDS);

  private Membership() {}

  /**
   * The voters of group {@code group} as the first node of {@code peers} that answers and is one of
   * them reports them (this node skipped); null when none does (a cluster forming: the others are
   * not up yet, or do not host the group).
   */
  static Collection<RaftPeer> configuration(
      ClusterConfig config, RaftProperties properties, RaftGroupId group) {
    RaftProperties asking = new RaftProperties(properties);
    RaftClientConfigKeys.Rpc.setRequestTimeout(asking, ASK_TIMEOUT);
    List<RaftPeer> peers = MetadataGroup.peers(config.peers());
    try (RaftClient client =
        RaftClient.newBuilder()
            .setClientId(ClientId.randomId())
            .setRaftGroup(RaftGroup.valueOf(group, peers))
            .setProperties(asking)
            .setRetryPolicy(RetryPolicies.noRetry())
            .build()) {
      for (RaftPeer p : peers) {
        if (p.getId().toString().equals(config.nodeName())) {
          continue;
        }
        try {
          GroupInfoReply reply = client.getGroupManagementApi(p.getId()).info(group);
          if (reply.isSuccess() && reply.getGroup().getPeer(p.getId()) != null) {
            return reply.getGroup().getPeers();
          }
        } catch (IOException | RuntimeException e) {
          // Not up, or not hosting the group: the next one.
        }
      }
    } catch (IOException e) {
      LOG.debug("closing the client that asked for the cluster's configuration", e);
    }
    return null;
  }

  /** Logs a peer list that names other nodes than the cluster has: the configuration wins. */
  static void compare(ClusterConfig config, Collection<RaftPeer> configured) {
    Set<String> given =
        config.peers().stream()
            .map(ClusterPeer::name)
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> members = names(configured);
    if (!given.equals(members)) {
      LOG.warn(
          "node {}: --cluster-peers names {} but the cluster's configuration has {}: the"
              + " configuration wins (nodes join and are removed at run time, see forget_cluster_node)",
          config.nodeName(),
          given,
          members);
    }
  }

  static Set<String> names(Collection<RaftPeer> peers) {
    return peers.stream()
        .map(p -> p.getId().toString())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * Asks the leader of the metadata group (whose voters are {@code members}) to add {@code self} as
   * a voter, and waits until the configuration with it is committed: by then this node has the log
   * (or a snapshot) up to it.
   *
   * @throws IOException naming the cause when the leader refused or did not answer in time
   */
  static void join(
      ClusterConfig config, RaftProperties properties, Collection<RaftPeer> members, RaftPeer self)
      throws IOException {
    long started = System.nanoTime();
    LOG.info(
        "node {}: joining the cluster {} as a voter of the metadata group",
        config.nodeName(),
        names(members));
    RaftClientReply reply;
    try (RaftClient client = adminClient(properties, MetadataGroup.GROUP_ID, members)) {
      reply =
          client
              .admin()
              .setConfiguration(
                  SetConfigurationRequest.Arguments.newBuilder()
                      .setServersInNewConf(List.of(self))
                      .setMode(SetConfigurationRequest.Mode.ADD)
                      .build());
    }
    if (!reply.isSuccess()) {
      throw new IOException(
          "node "
              + config.nodeName()
              + " was not added to the cluster "
              + names(members)
              + ": "
              + reply.getException());
    }
    LOG.info(
        "node {}: joined the cluster, now a voter of the metadata group, in {} ms",
        config.nodeName(),
        (System.nanoTime() - started) / 1_000_000);
  }

  /** A client for reconfigurations of group {@code group}: long requests, a few tries. */
  static RaftClient adminClient(
      RaftProperties properties, RaftGroupId group, Collection<RaftPeer> voters) {
    RaftProperties admin = new RaftProperties(properties);
    RaftClientConfigKeys.Rpc.setRequestTimeout(admin, RECONFIGURE_TIMEOUT);
    return RaftClient.newBuilder()
        .setClientId(ClientId.randomId())
        .setRaftGroup(RaftGroup.valueOf(group, voters))
        .setProperties(admin)
        .setRetryPolicy(
            RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                20, TimeDuration.valueOf(250, TimeUnit.MILLISECONDS)))
        .build();
  }

  /** The peer {@code name} of a configuration, or null. */
  static RaftPeer peer(Collection<RaftPeer> peers, String name) {
    RaftPeerId id = RaftPeerId.valueOf(name);
    return peers.stream().filter(p -> p.getId().equals(id)).findFirst().orElse(null);
  }
}
