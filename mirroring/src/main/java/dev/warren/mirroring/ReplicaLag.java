package dev.warren.mirroring;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the replicas that fall behind in the groups this node leads: a follower whose last entry
 * known to match the leader's log (Ratis' match index) is more than {@link #BEHIND_ENTRIES} below
 * the leader's commit index at two checks in a row gets a WARN line (one check alone may be a new
 * leader's first moment, when it does not know its followers' logs yet: match index -1), again
 * every {@link #REPEAT_MILLIS} while it stays behind, and an INFO line once it is back within the
 * bound. A stopped follower falls behind only as entries are written without it; a group that loses
 * this node as its leader is forgotten here without a line (its new leader watches it).
 *
 * <p>Threads: {@link #check} from one thread at a time (the watch's).
 */
final class ReplicaLag {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaLag.class);

  /** A follower this many entries behind the commit index, or more, is logged. */
  static final long BEHIND_ENTRIES = 1_000;

  /** The least time between two lines about the same follower while it stays behind. */
  static final long REPEAT_MILLIS = 30_000;

  private final String self;

  /** In {@link #behind}: a follower found behind once, not logged yet. */
  private static final long NOT_LOGGED = -1;

  /**
   * Per group, the followers found behind at the last check: when last logged (epoch ms), or {@link
   * #NOT_LOGGED}.
   */
  private final Map<String, Map<String, Long>> behind = new HashMap<>();

  ReplicaLag(String self) {
    this.self = self;
  }

  /** The followers of {@code group} logged as behind and not caught up since. */
  Set<String> behind(String group) {
    Set<String> logged = new HashSet<>();
    behind
        .getOrDefault(group, Map.of())
        .forEach(
            (follower, at) -> {
              if (at != NOT_LOGGED) {
                logged.add(follower);
              }
            });
    return logged;
  }

  /**
   * Compares each follower of group {@code group} (named for the log: "metadata group", "queue
   * group 2") with {@code committed}, the leader's commit index, if this node leads it.
   */
  void check(String group, DivisionInfo info, long committed, long now) {
    if (!info.isLeader()) {
      behind.remove(group);
      return;
    }
    List<ServerRpcProto> followers = info.getRoleInfoProto().getLeaderInfo().getFollowerInfoList();
    long[] matched = info.getFollowerMatchIndices();
    if (matched == null || followers.size() != matched.length) {
      return; // leadership or the followers changed between the reads: the next check sees them
    }
    Map<String, Long> logged = behind.computeIfAbsent(group, g -> new HashMap<>());
    for (int i = 0; i < matched.length; i++) {
      String follower = RaftPeerId.valueOf(followers.get(i).getId().getId()).toString();
      long lag = Math.max(0, committed - matched[i]);
      Long last = logged.get(follower);
      if (lag > BEHIND_ENTRIES) {
        if (last == null) {
          logged.put(follower, NOT_LOGGED);
        } else if (last == NOT_LOGGED || now - last >= REPEAT_MILLIS) {
          LOG.warn(
              "node {}: {} follower {} is {} entries behind (matched {}, committed {})",
              self,
              group,
              follower,
              lag,
              matched[i],
              committed);
          logged.put(follower, now);
        }
      } else if (last != null) {
        if (last != NOT_LOGGED) {
          LOG.info(
              "node {}: {} follower {} caught up ({} entries behind, committed {})",
              self,
              group,
              follower,
              lag,
              committed);
        }
        logged.remove(follower);
      }
    }
  }
}
