package dev.warren.mirroring;

import dev.warren.mirroring.ForwardedCommand.Sender;
import dev.warren.storage.MessageLog;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.statemachine.StateMachine;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's queue groups (DESIGN.md section 6): a fixed number ({@link
 * ClusterConfig#queueGroups()}) of Raft groups that every mirrored queue lives in, each with its
 * own log, under {@code <cluster dir>/<group id>/}, on the same Raft server (and port) as the
 * metadata group. The metadata group assigns each mirrored queue to one ({@link #assign}) and
 * records it in the queue's definition; {@link #log} is then the queue's {@link MessageLog}.
 *
 * <p>Made before the broker rebuilds its queues (their logs are handed out at once and start
 * leading once the groups run); the groups start with the metadata group's Raft server ({@link
 * MetadataGroup#start}). Which nodes vote in a group is its committed Raft configuration: the peer
 * list decides it only when the cluster is first formed. A node that joined later votes in none
 * (until it replaces a removed node) and serves the groups' queues by forwarding, to the leader
 * that {@link QueueGroupWatch} learns.
 *
 * <p>Threads: {@link #log}, {@link #assign} and {@link #leader} from any thread.
 */
public final class QueueGroups implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QueueGroups.class);

  private final ClusterConfig config;
  private final List<QueueGroup> groups = new ArrayList<>();
  private QueueGroupWatch watch;

  public QueueGroups(ClusterConfig config) {
    this.config = config;
    Sender self = new Sender(config.nodeName(), ThreadLocalRandom.current().nextLong());
    for (int i = 0; i < config.queueGroups(); i++) {
      groups.add(new QueueGroup(config, i, self));
    }
  }

  /** How many queue groups the cluster has. */
  public int count() {
    return groups.size();
  }

  /**
   * The group a new mirrored queue goes to: a hash of its virtual host and name (String's hash,
   * which the JLS fixes), so that the choice is the same whichever node declares it. The metadata
   * group records it; a queue never moves.
   */
  public int assign(String vhost, String queue) {
    return Math.floorMod((vhost + '\u0000' + queue).hashCode(), groups.size());
  }

  /**
   * The log of the mirrored queue {@code queueId} in group {@code group}. A group this node does
   * not vote in (clusters of more than three nodes, a node that joined later) gives a log that
   * never leads here.
   */
  public MessageLog log(int group, long queueId) {
    return new ReplicatedLog(groups.get(group), queueId, config.commitTimeout().toMillis());
  }

  /** The node leading group {@code group} as this node last heard, or null. */
  public String leader(int group) {
    return groups.get(group).stateMachine().leader();
  }

  /** Whether this node leads group {@code group} and serves its queues. */
  public boolean leads(int group) {
    return groups.get(group).stateMachine().leading();
  }

  /**
   * Node {@code node} was seen stopped: the queues of the groups this node leads take back the
   * messages it took for its consumers.
   */
  void nodeStopped(String node) {
    groups.forEach(g -> g.stateMachine().nodeStopped(node));
  }

  /** The groups, by index. */
  List<QueueGroup> groups() {
    return groups;
  }

  /**
   * The voters of group {@code group} as this node last learned them, by name: the nodes that hold
   * its queues' messages (RabbitMQ's quorum queue {@code members}).
   */
  public List<String> members(int group) {
    return groups.get(group).group().getPeers().stream().map(p -> p.getId().toString()).toList();
  }

  /** The groups' Raft ids, by index. */
  List<RaftGroupId> ids() {
    return groups.stream().map(g -> g.group().getGroupId()).toList();
  }

  /** Ratis' registry: the state machine of each queue group, for the groups this server hosts. */
  StateMachine stateMachine(RaftGroupId id) {
    for (QueueGroup g : groups) {
      if (g.id().equals(id)) {
        return g.stateMachine();
      }
    }
    return null;
  }

  /**
   * Opens the groups' clients and starts watching them ({@link QueueGroupWatch}). When {@code
   * forming} (this node's first start as a member of the cluster's configuration), first joins this
   * node's Raft server to every group it is a voter of: as the other nodes report the group's
   * voters when {@code ask}, else (or when none answers) as the peer list makes them. A restart
   * finds its groups in its storage and replays their logs; a node joining a running cluster joins
   * none.
   *
   * @param nodes the cluster's nodes (the metadata group's configuration), as it is now
   */
  void start(
      RaftServer server,
      RaftProperties properties,
      TimeDuration retrySleep,
      boolean forming,
      boolean ask,
      Supplier<Collection<RaftPeer>> nodes)
      throws IOException {
    Set<RaftGroupId> known = new HashSet<>();
    server.getGroupIds().forEach(known::add);
    ClientId self = ClientId.randomId();
    long call = 0;
    RaftPeerId me = RaftPeerId.valueOf(config.nodeName());
    for (QueueGroup g : groups) {
      Collection<RaftPeer> voters =
          forming && ask ? Membership.configuration(config, properties, g.id()) : null;
      RaftGroup initial = voters == null ? g.group() : RaftGroup.valueOf(g.id(), voters);
      if (forming && initial.getPeer(me) != null && !known.contains(g.id())) {
        RaftClientReply reply =
            server.groupManagement(
                GroupManagementRequest.newAdd(self, server.getId(), call++, initial));
        if (!reply.isSuccess()) {
          throw new IOException(
              "node "
                  + config.nodeName()
                  + " cannot join queue group "
                  + g.index()
                  + ": "
                  + reply.getException());
        }
      }
      g.open(server, properties, retrySleep, nodes.get());
    }
    LOG.info(
        "node {}: {} queue groups started, voting in {}, voters {}",
        config.nodeName(),
        groups.size(),
        groups.stream().filter(QueueGroup::member).map(QueueGroup::index).toList(),
        groups.stream().map(g -> g.index() + "=" + g.group().getPeers()).toList());
    watch = new QueueGroupWatch(config.nodeName(), groups, properties, nodes);
    watch.start();
  }

  /** Closes the groups' clients (the Raft server closes their logs). */
  @Override
  public void close() {
    if (watch != null) {
      watch.close();
    }
    for (QueueGroup g : groups) {
      try {
        g.close();
      } catch (IOException e) {
        LOG.warn(
            "node {}: queue group {} client did not close cleanly",
            config.nodeName(),
            g.index(),
            e);
      }
    }
  }
}
