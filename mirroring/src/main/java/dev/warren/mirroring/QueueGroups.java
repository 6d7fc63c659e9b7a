package dev.warren.mirroring;

import dev.warren.storage.MessageLog;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupId;
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
 * MetadataGroup#start}).
 *
 * <p>Threads: {@link #log}, {@link #assign} and {@link #leader} from any thread.
 */
public final class QueueGroups implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QueueGroups.class);

  private final ClusterConfig config;
  private final List<QueueGroup> groups = new ArrayList<>();

  public QueueGroups(ClusterConfig config) {
    this.config = config;
    for (int i = 0; i < config.queueGroups(); i++) {
      groups.add(new QueueGroup(config, i));
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
   * not vote in (clusters of more than three nodes) gives a log that never leads here.
   */
  public MessageLog log(int group, long queueId) {
    return new ReplicatedLog(groups.get(group), queueId, config.commitTimeout().toMillis());
  }

  /** The node leading group {@code group} as this node last heard, or null. */
  public String leader(int group) {
    QueueGroupStateMachine sm = groups.get(group).stateMachine();
    return sm == null ? null : sm.leader();
  }

  /** Whether this node leads group {@code group} and serves its queues. */
  public boolean leads(int group) {
    QueueGroupStateMachine sm = groups.get(group).stateMachine();
    return sm != null && sm.leading();
  }

  /**
   * The voters of group {@code group}, by name, the preferred leader first: the nodes that hold its
   * queues' messages (RabbitMQ's quorum queue {@code members}).
   */
  public List<String> members(int group) {
    return QueueGroup.voters(config.peers(), group).stream()
        .map(p -> p.getId().toString())
        .toList();
  }

  /** The groups' Raft ids, by index. */
  List<RaftGroupId> ids() {
    return groups.stream().map(g -> g.group().getGroupId()).toList();
  }

  /** Ratis' registry: the state machine of each queue group this node votes in. */
  StateMachine stateMachine(RaftGroupId id) {
    for (QueueGroup g : groups) {
      if (g.group().getGroupId().equals(id) && g.stateMachine() != null) {
        return g.stateMachine();
      }
    }
    return null;
  }

  /**
   * Joins this node's Raft server to every group it votes in that the server did not find on disk
   * (first start; a restart finds them in its storage and replays their logs), then opens the
   * groups' clients.
   */
  void start(RaftServer server, RaftProperties properties, TimeDuration retrySleep)
      throws IOException {
    Set<RaftGroupId> known = new HashSet<>();
    server.getGroupIds().forEach(known::add);
    ClientId self = ClientId.randomId();
    long call = 0;
    for (QueueGroup g : groups) {
      if (g.stateMachine() != null && !known.contains(g.group().getGroupId())) {
        RaftClientReply reply =
            server.groupManagement(
                GroupManagementRequest.newAdd(self, server.getId(), call++, g.group()));
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
      g.open(server, properties, retrySleep);
    }
    LOG.info(
        "node {}: {} queue groups started, voters {}",
        config.nodeName(),
        groups.size(),
        groups.stream().map(g -> g.index() + "=" + g.group().getPeers()).toList());
  }

  /** Closes the groups' clients (the Raft server closes their logs). */
  @Override
  public void close() {
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
