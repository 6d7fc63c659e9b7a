package dev.warren.mirroring;

import dev.warren.mirroring.ForwardedCommand.Sender;
import dev.warren.storage.StorageUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One queue group as this node sees it: its Raft group (id, voters, their priorities), this node's
 * state machine for it and a Raft client that submits entries to the group's leader.
 *
 * <p>Voters when a cluster is first formed ({@link #voters}): three of the peers, consecutive in
 * the peer list from the group's index (all of them when there are three or fewer). Priorities
 * spread the leaders: the voter at the group's index (modulo the voters) is preferred, so with
 * three nodes and four groups n1 leads groups 0 and 3, n2 group 1, n3 group 2 while all are up;
 * Ratis hands leadership to the preferred voter once it has caught up. From then on the group's
 * committed configuration is the truth ({@link #view}): a node that joined later votes in no group
 * until a removal makes it replace the node removed ({@code Membership}).
 *
 * <p>The state machine exists on every node; it serves (is given a log by Ratis) only while this
 * node's Raft server hosts the group ({@link #member}). On a node that does not, it never leads and
 * learns the leader from {@link QueueGroupWatch}.
 *
 * <p>A second client forwards clients' commands from a node that follows the group to the node that
 * leads it ({@link #forward}, {@link ForwardedCommand}): read-only requests to one named node,
 * never retried (a retried publish could be enqueued twice), in order. Ratis' ordered client closes
 * its window to a node for good after a failure it does not retry: the client is then replaced (the
 * failed one closed on a thread of its own).
 *
 * <p>Threads: {@link #submit} and {@link #forward} from any thread; futures complete on Ratis'
 * client threads (a submit's also on the submitting thread when Ratis fails it at once).
 */
final class QueueGroup {
  /** Voters of a group in a cluster of more nodes. */
  static final int VOTERS = 3;

  /** Forwarded commands in flight at once before the sender waits (Ratis' default is 100). */
  private static final int FORWARDS_IN_FLIGHT = 4096;

  /** How soon a forwarded command is sent again to a leader not ready yet. */
  private static final long NOT_READY_RETRY_MILLIS = 20;

  private static final Logger LOG = LoggerFactory.getLogger(QueueGroup.class);

  /** Log entries of {@link #submit} on their way at once; what comes meanwhile is batched. */
  static final int BATCHES_IN_FLIGHT = 4;

  /** Entries of one batch at most. */
  static final int BATCH_ENTRIES = 512;

  /** Bytes of one batch's entries at most (an entry larger than this goes alone). */
  static final int BATCH_BYTES = 512 * 1024;

  private final int index;
  private final RaftGroupId id;
  private final Sender sender;
  private final QueueGroupStateMachine stateMachine;
  private final long timeoutMillis;
  private final ClientId localClient = ClientId.randomId();
  private final AtomicLong localCalls = new AtomicLong();
  private final AtomicLong getTokens = new AtomicLong();
  private volatile RaftServer server;
  private volatile RaftClient client;
  private volatile RaftClient forwarder;

  /** The group's voters as this node last learned them; the clients' peers. */
  private volatile RaftGroup group;

  /** Every node the forwarding client can name as the leader (voters and the cluster's nodes). */
  private volatile Map<RaftPeerId, RaftPeer> reachable = Map.of();

  private RaftProperties properties;
  private RaftProperties forwarding;
  private TimeDuration retrySleep;

  /** Entries submitted and not yet sent, in order; its monitor also guards the count below. */
  private final ArrayDeque<Pending> waiting = new ArrayDeque<>();

  private int batchesInFlight;

  private record Pending(ByteString entry, CompletableFuture<Boolean> applied) {}

  /**
   * @param sender this node as its forwarded commands name it
   */
  QueueGroup(ClusterConfig config, int index, Sender sender) {
    this.index = index;
    this.id = id(index);
    this.sender = sender;
    this.group = RaftGroup.valueOf(id, voters(config.peers(), index));
    this.stateMachine =
        new QueueGroupStateMachine(config.nodeName(), index, config.commitTimeout().toMillis());
    this.timeoutMillis = config.commitTimeout().toMillis();
    stateMachine.greetLeadersWith(this::greet);
  }

  /** This node as its forwarded commands name it. */
  Sender sender() {
    return sender;
  }

  /** A token for a forwarded GET, unique among this node's to the group. */
  long nextGetToken() {
    return getTokens.incrementAndGet();
  }

  /**
   * Tells {@code leader} which incarnation of this node runs, so that it recalls what an earlier
   * one took ({@link Loans}). A greeting lost is made up for by this node's next command there.
   */
  private void greet(String leader) {
    tell(ForwardedCommand.of(sender, ForwardedCommand.Op.HELLO, 0), leader)
        .whenComplete(
            (reply, failure) -> {
              if (failure != null) {
                LOG.debug(
                    "node {}: greeting {}, leader of queue group {}, failed",
                    sender.node(),
                    leader,
                    index,
                    failure);
              }
            });
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

  RaftGroupId id() {
    return id;
  }

  /** The group's voters as this node last learned them. */
  RaftGroup group() {
    return group;
  }

  /** This node's state machine of the group. */
  QueueGroupStateMachine stateMachine() {
    return stateMachine;
  }

  /** Whether this node's Raft server hosts the group (a voter, or being made one). */
  boolean member() {
    return hostedVoters() != null;
  }

  /**
   * The voters of the group's current configuration on this node's server (empty while a group
   * recovered from storage has not read it back yet), null if not hosted.
   */
  Collection<RaftPeer> hostedVoters() {
    RaftServer s = server;
    if (s == null) {
      return null;
    }
    try {
      return s.getDivision(id).getRaftConf().getCurrentPeers();
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Opens the clients (once the node's Raft server runs), to the group's voters as this node's
   * server has them, or {@code nodes} when it does not host the group.
   */
  void open(
      RaftServer server,
      RaftProperties properties,
      TimeDuration retrySleep,
      Collection<RaftPeer> nodes) {
    this.server = server;
    this.properties = properties;
    this.retrySleep = retrySleep;
    forwarding = new RaftProperties(properties);
    RaftClientConfigKeys.Async.setOutstandingRequestsMax(forwarding, FORWARDS_IN_FLIGHT);
    // A group recovered from storage may not have read its configuration back yet: no voters.
    Collection<RaftPeer> hosted = hostedVoters();
    Collection<RaftPeer> voters = hosted == null || hosted.isEmpty() ? nodes : hosted;
    synchronized (this) {
      group = RaftGroup.valueOf(id, voters);
      reachable = union(voters, nodes);
      client = newClient();
      forwarder = newForwarder();
    }
    String leader = stateMachine.leader();
    if (leader != null && !leader.equals(sender.node())) {
      greet(leader); // learned before the clients were open
    }
  }

  /**
   * The group's voters (its committed configuration as a voter or the watch learned it) and the
   * cluster's nodes. The forwarding client learns the addresses of nodes new to it; the submitting
   * client is made anew when the voters changed, the old one closed once its requests are over
   * (after twice the commit timeout).
   */
  void view(Collection<RaftPeer> voters, Collection<RaftPeer> nodes) {
    RaftClient retired = null;
    synchronized (this) {
      if (client == null || voters.isEmpty()) {
        return;
      }
      Map<RaftPeerId, RaftPeer> all = new HashMap<>(reachable);
      List<RaftPeer> added = new ArrayList<>();
      union(voters, nodes)
          .forEach(
              (peerId, p) -> {
                if (all.putIfAbsent(peerId, p) == null) {
                  added.add(p);
                }
              });
      if (!added.isEmpty()) {
        reachable = Map.copyOf(all);
        forwarder.getClientRpc().addRaftPeers(added);
      }
      if (!ids(group.getPeers()).equals(ids(voters))) {
        group = RaftGroup.valueOf(id, voters);
        retired = client;
        client = newClient();
      }
    }
    if (retired != null) {
      RaftClient old = retired;
      CompletableFuture.delayedExecutor(2 * timeoutMillis, TimeUnit.MILLISECONDS)
          .execute(() -> closeQuietly(old));
    }
  }

  private static Set<RaftPeerId> ids(Collection<RaftPeer> peers) {
    Set<RaftPeerId> ids = new HashSet<>();
    peers.forEach(p -> ids.add(p.getId()));
    return ids;
  }

  private static Map<RaftPeerId, RaftPeer> union(
      Collection<RaftPeer> voters, Collection<RaftPeer> nodes) {
    Map<RaftPeerId, RaftPeer> all = new HashMap<>();
    nodes.forEach(p -> all.put(p.getId(), p));
    voters.forEach(p -> all.put(p.getId(), p));
    return Map.copyOf(all);
  }

  private RaftClient newClient() {
    long tries = Math.max(1, timeoutMillis / retrySleep.toLong(TimeUnit.MILLISECONDS));
    return RaftClient.newBuilder()
        .setClientId(ClientId.randomId())
        .setRaftGroup(group)
        .setProperties(properties)
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep((int) tries, retrySleep))
        .build();
  }

  /** To any node that may lead the group: requests name their node, so the peers are all known. */
  private RaftClient newForwarder() {
    return RaftClient.newBuilder()
        .setClientId(ClientId.randomId())
        .setRaftGroup(RaftGroup.valueOf(id, reachable.values()))
        .setProperties(forwarding)
        .setRetryPolicy(RetryPolicies.noRetry())
        .build();
  }

  /**
   * After a failure: a new forwarding client, unless another thread made one already. The failed
   * one is closed on a thread of its own: this runs on whichever thread failed the request, which
   * may be one of that client's own event loop threads (holding its window's lock while it fails
   * the requests behind) or the JVM's one timeout scheduler, and closing waits for the client's
   * connections to close on its event loops. Closed there, it waited for itself, for good, and
   * every thread forwarding through the group after it (a node's AMQP event loop among them) waited
   * for the lock.
   */
  private void replaceForwarder(RaftClient failed) {
    synchronized (this) {
      if (forwarder != failed || client == null) {
        return;
      }
      forwarder = newForwarder();
    }
    Thread closer =
        new Thread(() -> closeQuietly(failed), "queue-group-" + index + "-forwarder-close");
    closer.setDaemon(true);
    closer.start();
  }

  private static void closeQuietly(RaftClient c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (IOException e) {
      // Its requests have failed already.
    }
  }

  /**
   * Sends a command that needs no order among the others (a greeting, a GET's cancel) to node
   * {@code leader}: once, outside the forwarding client's ordered window, so that its failure (a
   * leader not ready yet, say) does not close that window and fail the commands in it. Completes
   * with the reply or fails (after the commit timeout at most).
   */
  CompletableFuture<ByteString> tell(ByteString command, String leader) {
    RaftClient c = forwarder;
    if (c == null) {
      return CompletableFuture.failedFuture(
          new StorageUnavailableException("queue group " + index + " is not started"));
    }
    CompletableFuture<RaftClientReply> sent;
    try {
      sent = c.async().sendReadOnlyUnordered(Message.valueOf(command), RaftPeerId.valueOf(leader));
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    return sent.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .thenApply(
            reply -> {
              if (!reply.isSuccess()) {
                throw new CompletionException(
                    new StorageUnavailableException(
                        "queue group " + index + " leader " + leader + " did not serve",
                        reply.getException()));
              }
              return reply.getMessage().getContent();
            });
  }

  /**
   * Sends a forwarded command to node {@code leader}'s state machine of this group. Completes with
   * its reply; fails with {@link StorageUnavailableException} when that node did not answer within
   * the commit timeout, no longer leads the group, or refused the command.
   */
  CompletableFuture<ByteString> forward(ByteString command, String leader) {
    return forward(
        command, leader, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
  }

  /**
   * One attempt before {@code deadline}. A node just elected answers {@link
   * LeaderNotReadyException} until it has committed an entry of its term, having run nothing: it is
   * asked again every {@link #NOT_READY_RETRY_MILLIS} until the deadline.
   */
  private CompletableFuture<ByteString> forward(ByteString command, String leader, long deadline) {
    RaftClient c = forwarder;
    if (c == null) {
      return CompletableFuture.failedFuture(
          new StorageUnavailableException("queue group " + index + " is not started"));
    }
    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    CompletableFuture<RaftClientReply> sent;
    try {
      sent = c.async().sendReadOnly(Message.valueOf(command), RaftPeerId.valueOf(leader));
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    return sent.orTimeout(Math.max(1, left), TimeUnit.MILLISECONDS)
        .handle(
            (reply, failure) -> {
              if (failure == null && reply.isSuccess()) {
                return CompletableFuture.completedFuture(reply.getMessage().getContent());
              }
              if (failure != null) {
                replaceForwarder(c);
              }
              Throwable cause = failure;
              if (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
              }
              if (cause == null) {
                cause = reply.getException();
              }
              if (cause instanceof LeaderNotReadyException
                  && deadline - System.nanoTime()
                      > TimeUnit.MILLISECONDS.toNanos(NOT_READY_RETRY_MILLIS)) {
                return CompletableFuture.runAsync(
                        () -> {},
                        CompletableFuture.delayedExecutor(
                            NOT_READY_RETRY_MILLIS, TimeUnit.MILLISECONDS))
                    .thenCompose(again -> forward(command, leader, deadline));
              }
              return CompletableFuture.<ByteString>failedFuture(
                  new StorageUnavailableException(
                      "queue group " + index + " leader " + leader + " did not serve: " + cause,
                      cause));
            })
        .thenCompose(answer -> answer);
  }

  /**
   * Puts {@code entry} into the group's log. Completes with true once a majority has committed it
   * and the leader applied it, false if the state machine refused it; fails with {@link
   * StorageUnavailableException} if that did not happen within the commit timeout. Entries
   * submitted one after the other are applied in that order.
   *
   * <p>Batched: while {@link #BATCHES_IN_FLIGHT} log entries are on their way, what is submitted
   * waits and then goes as one log entry ({@link QueueGroupBatch}, up to {@link #BATCH_ENTRIES}
   * entries or {@link #BATCH_BYTES}), in order: under load a log entry carries many, at about the
   * cost of one; alone, an entry goes at once. A batch is committed, refused entry by entry, or
   * fails as a whole.
   */
  CompletableFuture<Boolean> submit(ByteString entry) {
    if (client == null || server == null) {
      return CompletableFuture.failedFuture(
          new StorageUnavailableException("queue group " + index + " is not started"));
    }
    Pending p = new Pending(entry, new CompletableFuture<>());
    synchronized (waiting) {
      waiting.add(p);
      if (batchesInFlight < BATCHES_IN_FLIGHT) {
        sendWaiting();
      }
    }
    return p.applied();
  }

  /**
   * Under {@code waiting}'s monitor, so that log entries go to Ratis in the order their entries
   * were submitted: the entries waiting (up to the batch's limits) as one log entry.
   */
  private void sendWaiting() {
    List<Pending> batch = new ArrayList<>();
    long bytes = 0;
    while (!waiting.isEmpty()
        && batch.size() < BATCH_ENTRIES
        && (batch.isEmpty() || bytes + waiting.peek().entry().size() <= BATCH_BYTES)) {
      Pending p = waiting.poll();
      batch.add(p);
      bytes += p.entry().size();
    }
    ByteString data;
    if (batch.size() == 1) {
      data = batch.get(0).entry();
    } else {
      List<ByteString> entries = new ArrayList<>(batch.size());
      for (Pending p : batch) {
        entries.add(p.entry());
      }
      data = QueueGroupBatch.of(entries);
    }
    batchesInFlight++;
    append(data)
        .whenComplete(
            (results, failure) -> {
              settle(batch, results, failure);
              synchronized (waiting) {
                batchesInFlight--;
                if (!waiting.isEmpty()) {
                  sendWaiting();
                }
              }
            });
  }

  /** Completes each entry's future from the log entry's reply: one byte per entry. */
  private static void settle(List<Pending> batch, ByteString results, Throwable failure) {
    for (int i = 0; i < batch.size(); i++) {
      CompletableFuture<Boolean> applied = batch.get(i).applied();
      if (failure != null) {
        applied.completeExceptionally(
            failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause()
                : failure);
      } else {
        applied.complete(results.size() == batch.size() && results.byteAt(i) == 1);
      }
    }
  }

  /**
   * Puts one log entry into the group's log: completes with the state machine's reply once a
   * majority has committed it and the leader applied it; fails with {@link
   * StorageUnavailableException} if that did not happen within the commit timeout.
   *
   * <p>On the group's leader the entry goes straight to this node's Raft server, not through its
   * network port: Ratis' Netty server handles each request on its event loop until the request
   * completes, so a forwarded command waiting there for this node's own entry (a publish waiting
   * for its commit) would otherwise wait behind itself. The server takes client requests on one
   * thread, in order.
   */
  private CompletableFuture<ByteString> append(ByteString data) {
    RaftClient c = client;
    RaftServer s = server;
    if (c == null || s == null) {
      return CompletableFuture.failedFuture(
          new StorageUnavailableException("queue group " + index + " is not started"));
    }
    CompletableFuture<RaftClientReply> sent;
    if (stateMachine.leading()) {
      RaftClientRequest request =
          RaftClientRequest.newBuilder()
              .setClientId(localClient)
              .setServerId(s.getId())
              .setGroupId(id)
              .setCallId(localCalls.incrementAndGet())
              .setMessage(Message.valueOf(data))
              .setType(RaftClientRequest.writeRequestType())
              .build();
      try {
        sent = s.submitClientRequestAsync(request);
      } catch (IOException e) {
        sent = CompletableFuture.failedFuture(e);
      }
    } else {
      sent = c.async().send(Message.valueOf(data));
    }
    return sent.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .handle(
            (reply, failure) -> {
              if (failure == null && reply.isSuccess()) {
                return reply.getMessage().getContent();
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
    RaftClient f = forwarder;
    client = null;
    forwarder = null;
    if (f != null) {
      f.close();
    }
    if (c != null) {
      c.close();
    }
  }
}
