package dev.warren.mirroring;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each queue group's view current on this node, once every {@value #EVERY_MILLIS} ms: the
 * voters of a group this node hosts from its own server's configuration; for a group it does not
 * host (a node that joined a running cluster, or a cluster of more than three nodes), the voters
 * and the leader as another node reports them (Ratis' group info), so that this node's queues of
 * the group forward their clients' commands to the leader ({@link
 * QueueGroupStateMachine#observed}). The clients of a group are made anew when its voters or the
 * cluster's nodes change ({@link QueueGroup#view}).
 *
 * <p>Threads: one daemon thread of its own; {@link #close} from the broker's stopping thread.
 */
final class QueueGroupWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QueueGroupWatch.class);

  static final long EVERY_MILLIS = 500;

  /** The most a node is waited for when asked about a group: a stopped node is skipped soon. */
  private static final TimeDuration ASK_TIMEOUT = TimeDuration.valueOf(1, TimeUnit.SECONDS);

  private final String nodeName;
  private final List<QueueGroup> groups;
  private final RaftProperties properties;
  private final Supplier<Collection<RaftPeer>> nodes;
  private final Thread thread;
  private volatile boolean closed;

  /** Asks the cluster's nodes; made anew when they change. Watch thread only. */
  private RaftClient asker;

  private Set<RaftPeer> askerNodes = Set.of();

  QueueGroupWatch(
      String nodeName,
      List<QueueGroup> groups,
      RaftProperties properties,
      Supplier<Collection<RaftPeer>> nodes) {
    this.nodeName = nodeName;
    this.groups = groups;
    this.properties = new RaftProperties(properties);
    RaftClientConfigKeys.Rpc.setRequestTimeout(this.properties, ASK_TIMEOUT);
    this.nodes = nodes;
    this.thread = new Thread(this::run, "queue-group-watch-" + nodeName);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void run() {
    while (!closed) {
      try {
        watchOnce();
      } catch (RuntimeException e) {
        LOG.warn("node {}: watching the queue groups failed, tried again", nodeName, e);
      }
      try {
        Thread.sleep(EVERY_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void watchOnce() {
    Collection<RaftPeer> cluster = nodes.get();
    for (QueueGroup g : groups) {
      if (closed) {
        return;
      }
      Collection<RaftPeer> hosted = g.hostedVoters();
      if (hosted != null) {
        g.view(hosted, cluster);
        continue;
      }
      GroupInfoReply info = ask(g, cluster);
      if (info != null) {
        g.view(info.getGroup().getPeers(), cluster);
        g.stateMachine().observed(leader(info));
      }
    }
  }

  /** The group as the first node that hosts it tells; null when none answers. */
  private GroupInfoReply ask(QueueGroup g, Collection<RaftPeer> cluster) {
    RaftClient c = asker(cluster);
    List<RaftPeer> candidates = new ArrayList<>(g.group().getPeers());
    cluster.stream().filter(p -> !candidates.contains(p)).forEach(candidates::add);
    for (RaftPeer p : candidates) {
      if (p.getId().toString().equals(nodeName) || !askerNodes.contains(p)) {
        continue;
      }
      try {
        GroupInfoReply reply = c.getGroupManagementApi(p.getId()).info(g.id());
        if (reply.isSuccess()) {
          return reply;
        }
      } catch (IOException | RuntimeException e) {
        // Stopped, or does not host the group: the next one.
      }
    }
    return null;
  }

  /** The leader a node's group info names: itself if it leads, else the leader it follows. */
  private static String leader(GroupInfoReply info) {
    RoleInfoProto role = info.getRoleInfoProto();
    if (role.getRole() == RaftPeerRole.LEADER) {
      return role.getSelf().getId().toStringUtf8();
    }
    if (role.hasFollowerInfo() && role.getFollowerInfo().hasLeaderInfo()) {
      String leader = role.getFollowerInfo().getLeaderInfo().getId().getId().toStringUtf8();
      return leader.isEmpty() ? null : leader;
    }
    return null;
  }

  private RaftClient asker(Collection<RaftPeer> cluster) {
    Set<RaftPeer> now = Set.copyOf(cluster);
    if (asker == null || !now.equals(askerNodes)) {
      closeAsker();
      asker =
          RaftClient.newBuilder()
              .setClientId(ClientId.randomId())
              .setRaftGroup(RaftGroup.valueOf(MetadataGroup.GROUP_ID, now))
              .setProperties(properties)
              .setRetryPolicy(RetryPolicies.noRetry())
              .build();
      askerNodes = now;
    }
    return asker;
  }

  private void closeAsker() {
    if (asker != null) {
      try {
        asker.close();
      } catch (IOException e) {
        // nothing is waiting on it
      }
      asker = null;
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeAsker();
  }
}
