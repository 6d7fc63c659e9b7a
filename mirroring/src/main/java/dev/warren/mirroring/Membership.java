package dev.warren.mirroring;

import java.io.IOException;
import java.util.ArrayList;
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
 * <p>Removing ({@link #forget}, rabbitmqctl's {@code forget_cluster_node}): only a stopped node,
 * and only while the nodes left running are a majority both of the cluster and of the cluster
 * without it. In each queue group it votes in, it is replaced by a running node that is not a voter
 * yet (which takes its priority), or the group goes on with one voter less; then the metadata group
 * drops it. A removed node restarted with its data is refused at start.
 *
 * <p>Threads: called from the thread that starts the broker, or an API's; blocking.
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
    List<RaftPeer> peers = MetadataGroup.peers(config.peers());
    try (RaftClient client = askClient(properties, peers)) {
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

  /**
   * Removes the stopped node {@code node} from the cluster (see the class comment), acting from
   * this node.
   *
   * @param nodes the cluster's nodes (the metadata group's voters here)
   * @throws MembershipException {@code NOT_A_MEMBER}, {@code RUNNING} or {@code NO_MAJORITY} before
   *     anything changed; {@code FAILED} when a reconfiguration failed (groups already changed stay
   *     changed; forgetting again finishes the job)
   */
  static void forget(
      ClusterConfig config,
      RaftProperties properties,
      Collection<RaftPeer> nodes,
      List<QueueGroup> groups,
      String node)
      throws MembershipException {
    RaftPeer gone = peer(nodes, node);
    if (gone == null) {
      throw new MembershipException(
          MembershipException.Reason.NOT_A_MEMBER,
          "node " + node + " is not a node of the cluster " + names(nodes));
    }
    List<RaftPeer> left = nodes.stream().filter(p -> p != gone).toList();
    Set<String> running = new TreeSet<>();
    try (RaftClient asker = askClient(properties, nodes)) {
      if (answers(asker, gone, config.nodeName())) {
        throw new MembershipException(
            MembershipException.Reason.RUNNING,
            "node " + node + " is running: stop it before removing it from the cluster");
      }
      for (RaftPeer p : left) {
        if (answers(asker, p, config.nodeName())) {
          running.add(p.getId().toString());
        }
      }
    } catch (IOException e) {
      LOG.debug("closing the client that asked the nodes", e);
    }
    if (left.isEmpty() || running.size() <= left.size() / 2 || running.size() <= nodes.size() / 2) {
      throw new MembershipException(
          MembershipException.Reason.NO_MAJORITY,
          "removing node "
              + node
              + " would leave the cluster without a majority: of "
              + names(left)
              + " only "
              + running
              + " run");
    }
    LOG.info(
        "node {}: removing node {} from the cluster {}", config.nodeName(), node, names(nodes));
    for (QueueGroup g : groups) {
      replaceIn(g, gone, left, running, properties);
    }
    reconfigure(properties, MetadataGroup.GROUP_ID, nodes, left, "the metadata group");
    LOG.info(
        "node {}: node {} removed from the cluster, which is now {}",
        config.nodeName(),
        node,
        names(left));
  }

  /** Replaces {@code gone} in group {@code g} by a running node not yet a voter, if one. */
  private static void replaceIn(
      QueueGroup g,
      RaftPeer gone,
      List<RaftPeer> left,
      Set<String> running,
      RaftProperties properties)
      throws MembershipException {
    Collection<RaftPeer> hosted = g.hostedVoters();
    Collection<RaftPeer> voters =
        hosted != null && !hosted.isEmpty() ? hosted : g.group().getPeers();
    RaftPeer old = peer(voters, gone.getId().toString());
    if (old == null) {
      return;
    }
    List<RaftPeer> next = new ArrayList<>(voters.stream().filter(p -> p != old).toList());
    RaftPeer replacement =
        left.stream()
            .filter(p -> running.contains(p.getId().toString()))
            .filter(p -> peer(voters, p.getId().toString()) == null)
            .findFirst()
            .orElse(null);
    String what = "queue group " + g.index();
    if (replacement != null) {
      RaftPeer voter = RaftPeer.newBuilder(replacement).setPriority(old.getPriority()).build();
      next.add(voter);
      // The replacement's server hosts the group first (outside its configuration, waiting).
      try (RaftClient c = askClient(properties, left)) {
        RaftClientReply added =
            c.getGroupManagementApi(replacement.getId()).add(RaftGroup.valueOf(g.id(), voters));
        if (!added.isSuccess()) {
          throw added.getException();
        }
      } catch (IOException e) {
        throw new MembershipException(
            MembershipException.Reason.FAILED,
            "node " + replacement.getId() + " could not take " + what + ": " + e,
            e);
      }
    }
    reconfigure(properties, g.id(), voters, next, what);
    LOG.info(
        "{}: voters {} (was {}; node {} replaced by {})",
        what,
        names(next),
        names(voters),
        gone.getId(),
        replacement == null ? "none" : replacement.getId());
  }

  /** Ratis' setConfiguration of {@code group} from {@code current} to {@code next}. */
  private static void reconfigure(
      RaftProperties properties,
      RaftGroupId group,
      Collection<RaftPeer> current,
      List<RaftPeer> next,
      String what)
      throws MembershipException {
    try (RaftClient c = adminClient(properties, group, current)) {
      RaftClientReply reply =
          c.admin()
              .setConfiguration(
                  SetConfigurationRequest.Arguments.newBuilder()
                      .setServersInCurrentConf(List.copyOf(current))
                      .setServersInNewConf(next)
                      .setMode(SetConfigurationRequest.Mode.COMPARE_AND_SET)
                      .build());
      if (!reply.isSuccess()) {
        throw reply.getException();
      }
    } catch (IOException e) {
      throw new MembershipException(
          MembershipException.Reason.FAILED,
          what + " did not commit the configuration " + names(next) + ": " + e,
          e);
    }
  }

  /** Whether node {@code p} answers about the metadata group (this node answers for itself). */
  private static boolean answers(RaftClient asker, RaftPeer p, String self) {
    if (p.getId().toString().equals(self)) {
      return true;
    }
    try {
      return asker.getGroupManagementApi(p.getId()).info(MetadataGroup.GROUP_ID).isSuccess();
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** A client that asks nodes once each, waiting {@link #ASK_TIMEOUT} at most. */
  private static RaftClient askClient(RaftProperties properties, Collection<RaftPeer> nodes) {
    RaftProperties asking = new RaftProperties(properties);
    RaftClientConfigKeys.Rpc.setRequestTimeout(asking, ASK_TIMEOUT);
    return RaftClient.newBuilder()
        .setClientId(ClientId.randomId())
        .setRaftGroup(RaftGroup.valueOf(MetadataGroup.GROUP_ID, List.copyOf(nodes)))
        .setProperties(asking)
        .setRetryPolicy(RetryPolicies.noRetry())
        .build();
  }

  /** The peer {@code name} of a configuration, or null. */
  static RaftPeer peer(Collection<RaftPeer> peers, String name) {
    RaftPeerId id = RaftPeerId.valueOf(name);
    return peers.stream().filter(p -> p.getId().equals(id)).findFirst().orElse(null);
  }
}
