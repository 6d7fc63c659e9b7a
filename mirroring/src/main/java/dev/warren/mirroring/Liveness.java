package dev.warren.mirroring;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which nodes of the cluster run, as the metadata group's leader knows it: Ratis' leader keeps, for
 * each follower, the time since that follower last answered it (a heartbeat at least every half
 * election timeout), and a follower the time since it last heard the leader.
 *
 * <p>The rule: a node runs while it was last heard within {@link #RUNNING_WITHIN_MILLIS}. This node
 * always runs. On the leader, the followers' last answers count; on a follower, its leader's last
 * message, and the leader's own view, asked of the leader each {@link #check} (Ratis' group info
 * request, with a short timeout). A node that knows no leader (an election, or cut off from the
 * majority) hears from nobody, so every other node stops running for it once the last time heard
 * ages out. So two nodes on the same side of a partition agree, and a stopped, killed or paused
 * node shows stopped within {@link #RUNNING_WITHIN_MILLIS} plus a check's period on every node that
 * can reach the leader.
 *
 * <p>Threads: {@link #check} from one thread at a time (the watch's); {@link #nodes} from any.
 */
final class Liveness {
  private static final Logger LOG = LoggerFactory.getLogger(Liveness.class);

  /** A node last heard this long ago or less runs. */
  static final long RUNNING_WITHIN_MILLIS = 3_000;

  /** Asks the metadata group's leader for its role (its followers' last answers). */
  @FunctionalInterface
  interface LeaderView {
    RoleInfoProto ask(RaftPeerId leader) throws IOException;
  }

  private final String self;
  private final List<String> peers;
  private final LeaderView leaderView;

  /** Epoch milliseconds each node was last heard at. */
  private final Map<String, Long> heard = new ConcurrentHashMap<>();

  private boolean askFailedLogged;

  /** The nodes that ran as of the last {@link #newlyStopped}; the watch's thread only. */
  private final Set<String> wasRunning = new HashSet<>();

  /**
   * @param leaderView asks the leader, with a short timeout (it runs on the watch's thread)
   */
  Liveness(String self, List<String> peers, LeaderView leaderView) {
    this.self = self;
    this.peers = List.copyOf(peers);
    this.leaderView = leaderView;
  }

  /** Records what this node's member of the metadata group knows now ({@code info}). */
  void check(DivisionInfo info, long now) {
    heard.put(self, now);
    RoleInfoProto role = info.getRoleInfoProto();
    if (role.hasLeaderInfo()) {
      heardFollowers(role, now);
      return;
    }
    RaftPeerId leader = info.getLeaderId();
    if (!role.hasFollowerInfo() || leader == null) {
      return;
    }
    ServerRpcProto fromLeader = role.getFollowerInfo().getLeaderInfo();
    heard(leader.toString(), now - fromLeader.getLastRpcElapsedTimeMs());
    try {
      RoleInfoProto leaderRole = leaderView.ask(leader);
      heard(leader.toString(), now);
      if (leaderRole.hasLeaderInfo()) {
        heardFollowers(leaderRole, now);
      }
      askFailedLogged = false;
    } catch (IOException | RuntimeException e) {
      if (!askFailedLogged) {
        LOG.info(
            "node {}: the metadata group's leader {} did not tell who runs: {}",
            self,
            leader,
            e.toString());
        askFailedLogged = true;
      }
    }
  }

  private void heardFollowers(RoleInfoProto leaderRole, long now) {
    for (ServerRpcProto f : leaderRole.getLeaderInfo().getFollowerInfoList()) {
      String name = RaftPeerId.valueOf(f.getId().getId()).toString();
      if (!name.equals(self)) {
        heard(name, now - f.getLastRpcElapsedTimeMs());
      }
    }
  }

  private void heard(String node, long at) {
    heard.merge(node, at, Math::max);
  }

  /** The rule: this node runs; another while it was heard ({@code at}, or never: null) lately. */
  private boolean runs(String node, Long at, long now) {
    return node.equals(self) || (at != null && now - at <= RUNNING_WITHIN_MILLIS);
  }

  /**
   * The nodes ever heard of (a node that joined later among them) that ran as of the last call and
   * no longer do as of {@code now}. From one thread at a time (the watch's).
   */
  List<String> newlyStopped(long now) {
    List<String> stopped = new ArrayList<>();
    heard.forEach(
        (node, at) -> {
          if (runs(node, at, now)) {
            wasRunning.add(node);
          } else if (wasRunning.remove(node)) {
            stopped.add(node);
          }
        });
    return stopped;
  }

  /**
   * The cluster's nodes, running or not as of {@code now}: {@code members} (the metadata group's
   * configuration; a node joined at run time among them, one removed not), those of the peer list
   * in its order, then the others by name. Without members (this node's server stopped), the peer
   * list.
   */
  List<NodeStatus> nodes(long now, Collection<String> members) {
    List<String> names = new ArrayList<>();
    for (String p : peers) {
      if (members.isEmpty() || members.contains(p)) {
        names.add(p);
      }
    }
    members.stream().filter(m -> !peers.contains(m)).sorted().forEach(names::add);
    List<NodeStatus> nodes = new ArrayList<>(names.size());
    for (String n : names) {
      nodes.add(new NodeStatus(n, runs(n, heard.get(n), now)));
    }
    return nodes;
  }
}
