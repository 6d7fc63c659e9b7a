package dev.warren.mirroring;

import dev.warren.storage.StorageUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;

/**
 * One queue group as this node sees it: its Raft group (id, voters, their priorities), this node's
 * state machine for it (when this node is a voter) and a Raft client that submits entries to the
 * group's leader.
 *
 * <p>Voters: three of the peers, consecutive in the peer list from the group's index (all of them
 * when there are three or fewer). Priorities spread the leaders: the voter at the group's index
 * (modulo the voters) is preferred, so with three nodes and four groups n1 leads groups 0 and 3, n2
 * group 1, n3 group 2 while all are up; Ratis hands leadership to the preferred voter once it has
 * caught up.
 *
 * <p>Threads: {@link #submit} from any thread; futures complete on Ratis' client threads.
 */
final class QueueGroup {
  /** Voters of a group in a cluster of more nodes. */
  static final int VOTERS = 3;

  private final int index;
  private final RaftGroup group;
  private final QueueGroupStateMachine stateMachine;
  private final long timeoutMillis;
  private volatile RaftClient client;

  QueueGroup(ClusterConfig config, int index) {
    this.index = index;
    this.group = RaftGroup.valueOf(id(index), voters(config.peers(), index));
    this.stateMachine =
        group.getPeer(RaftPeerId.valueOf(config.nodeName())) == null
            ? null
            : new QueueGroupStateMachine(config.nodeName(), index);
    this.timeoutMillis = config.commitTimeout().toMillis();
  }

  /** The fixed id of queue group {@code index}: every node names the same group. */
  static RaftGroupId id(int index) {
    return RaftGroupId.valueOf(
        UUID.nameUUIDFromBytes(
            ("warren-queue-group-" + index).getBytes(StandardCharsets.US_ASCII)));
  }

  static List<RaftPeer> voters(List<ClusterPeer> peers, int index) {
    int count = Math.min(VOTERS, peers.size());
    List<RaftPeer> voters = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ClusterPeer p = peers.get((index + i) % peers.size());
      voters.add(
          RaftPeer.newBuilder()
              .setId(p.name())
              .setAddress(p.address())
              .setPriority(i == 0 ? 1 : 0)
              .build());
    }
    return voters;
  }

  int index() {
    return index;
  }

  RaftGroup group() {
    return group;
  }

  /** This node's state machine of the group, or null when this node is not one of its voters. */
  QueueGroupStateMachine stateMachine() {
    return stateMachine;
  }

  /** Opens the client (once the node's Raft server runs). */
  void open(RaftProperties properties, TimeDuration retrySleep) {
    long tries = Math.max(1, timeoutMillis / retrySleep.toLong(TimeUnit.MILLISECONDS));
    client =
        RaftClient.newBuilder()
            .setClientId(ClientId.randomId())
            .setRaftGroup(group)
            .setProperties(properties)
            .setRetryPolicy(
                RetryPolicies.retryUpToMaximumCountWithFixedSleep((int) tries, retrySleep))
            .build();
  }

  /**
   * Puts {@code entry} into the group's log. Completes with true once a majority has committed it
   * and the leader applied it, false if the state machine refused it; fails with {@link
   * StorageUnavailableException} if that did not happen within the commit timeout. Entries
   * submitted one after the other are applied in that order.
   */
  CompletableFuture<Boolean> submit(ByteString entry) {
    RaftClient c = client;
    if (c == null) {
      return CompletableFuture.failedFuture(
          new StorageUnavailableException("queue group " + index + " is not started"));
    }
    return c.async()
        .send(Message.valueOf(entry))
        .orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .handle(
            (reply, failure) -> {
              if (failure == null && reply.isSuccess()) {
                ByteString content = reply.getMessage().getContent();
                return content.size() == 1 && content.byteAt(0) == 1;
              }
              Throwable cause = failure;
              if (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
              }
              if (cause == null) {
                cause = reply.getException();
              }
              throw new CompletionException(
                  new StorageUnavailableException(
                      "queue group "
                          + index
                          + " did not commit the entry within "
                          + timeoutMillis
                          + " ms: "
                          + cause,
                      cause));
            });
  }

  void close() throws IOException {
    RaftClient c = client;
    client = null;
    if (c != null) {
      c.close();
    }
  }
}
