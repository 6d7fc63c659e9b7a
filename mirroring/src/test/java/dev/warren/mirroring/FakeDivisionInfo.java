package dev.warren.mirroring;

import java.util.List;
import org.apache.ratis.proto.RaftProtos.FollowerInfoProto;
import org.apache.ratis.proto.RaftProtos.LeaderInfoProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;

/** A Raft member's role as Ratis reports it, made up for a test. */
record FakeDivisionInfo(RoleInfoProto role, RaftPeerId leader, long[] matched)
    implements DivisionInfo {

  /** A follower {@code f} the leader last heard {@code elapsed} ms ago, matched up to an index. */
  record Follower(String name, long elapsedMillis, long matchIndex) {}

  static FakeDivisionInfo leader(String self, List<Follower> followers) {
    LeaderInfoProto.Builder b = LeaderInfoProto.newBuilder().setTerm(1);
    followers.forEach(f -> b.addFollowerInfo(rpc(f.name(), f.elapsedMillis())));
    return new FakeDivisionInfo(
        RoleInfoProto.newBuilder().setRole(RaftPeerRole.LEADER).setLeaderInfo(b).build(),
        RaftPeerId.valueOf(self),
        followers.stream().mapToLong(Follower::matchIndex).toArray());
  }

  /** A follower that last heard leader {@code leader} {@code elapsed} ms ago. */
  static FakeDivisionInfo follower(String leader, long elapsedMillis) {
    return new FakeDivisionInfo(
        RoleInfoProto.newBuilder()
            .setRole(RaftPeerRole.FOLLOWER)
            .setFollowerInfo(
                FollowerInfoProto.newBuilder().setLeaderInfo(rpc(leader, elapsedMillis)))
            .build(),
        RaftPeerId.valueOf(leader),
        null);
  }

  /** A candidate: no leader known. */
  static FakeDivisionInfo candidate() {
    return new FakeDivisionInfo(
        RoleInfoProto.newBuilder().setRole(RaftPeerRole.CANDIDATE).build(), null, null);
  }

  static ServerRpcProto rpc(String name, long elapsedMillis) {
    return ServerRpcProto.newBuilder()
        .setId(RaftPeerProto.newBuilder().setId(ByteString.copyFromUtf8(name)))
        .setLastRpcElapsedTimeMs(elapsedMillis)
        .build();
  }

  @Override
  public RaftPeerRole getCurrentRole() {
    return role.getRole();
  }

  @Override
  public boolean isLeaderReady() {
    return role.hasLeaderInfo();
  }

  @Override
  public RaftPeerId getLeaderId() {
    return leader;
  }

  @Override
  public LifeCycle.State getLifeCycleState() {
    return LifeCycle.State.RUNNING;
  }

  @Override
  public RoleInfoProto getRoleInfoProto() {
    return role;
  }

  @Override
  public long getCurrentTerm() {
    return 1;
  }

  @Override
  public long getLastAppliedIndex() {
    return 0;
  }

  @Override
  public long[] getFollowerNextIndices() {
    return matched;
  }

  @Override
  public long[] getFollowerMatchIndices() {
    return matched;
  }
}
