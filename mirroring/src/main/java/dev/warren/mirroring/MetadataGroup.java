package dev.warren.mirroring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.netty.NettyConfigKeys;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's member of the metadata group: the Raft group (Apache Ratis, Netty transport) whose
 * voters are every node of the cluster and whose log carries the changes of definitions (DESIGN.md
 * section 6). {@link #start} starts the Raft server, with its log under the directory given
 * (fsynced before an entry counts as written: Ratis' unsafe flush stays off) and a client for
 * {@link #submit}. A restart with the same directory rejoins: Ratis reads its term, vote and log
 * back, and replays the committed entries this node's store has not applied yet.
 *
 * <p>Threads: Ratis runs its own (server RPC, one log worker, the state machine updater, client
 * RPC); {@link #submit} from any thread; {@link #close} once.
 */
public final class MetadataGroup implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MetadataGroup.class);

  /** The one metadata group of a cluster: a fixed id, so that every node names the same group. */
  static final RaftGroupId GROUP_ID =
      RaftGroupId.valueOf(
          UUID.nameUUIDFromBytes("warren-metadata".getBytes(StandardCharsets.US_ASCII)));

  /** A follower that hears no leader for a random time in [min, max] starts an election. */
  private static final TimeDuration ELECTION_TIMEOUT_MIN =
      TimeDuration.valueOf(500, TimeUnit.MILLISECONDS);

  private static final TimeDuration ELECTION_TIMEOUT_MAX =
      TimeDuration.valueOf(1000, TimeUnit.MILLISECONDS);

  /** The pause between two tries of a change that found no leader. */
  private static final TimeDuration RETRY_SLEEP = TimeDuration.valueOf(100, TimeUnit.MILLISECONDS);

  private final ClusterConfig config;
  private final RaftProperties properties;
  private final RaftServer server;
  private final RaftClient client;
  private final MetadataStateMachine stateMachine;
  private final QueueGroups queueGroups;
  private final ClusterWatch watch;

  private MetadataGroup(
      ClusterConfig config,
      RaftProperties properties,
      RaftServer server,
      RaftClient client,
      MetadataStateMachine stateMachine,
      QueueGroups queueGroups,
      ClusterWatch watch) {
    this.config = config;
    this.properties = properties;
    this.server = server;
    this.client = client;
    this.stateMachine = stateMachine;
    this.queueGroups = queueGroups;
    this.watch = watch;
  }

  /**
   * Starts this node's Raft server for the metadata group and the queue groups this node votes in,
   * each group's log in a directory of its own under {@code directory}, and returns at once: each
   * group elects a leader once a majority of its voters runs, and committed entries reach {@code
   * applier} (and the queue groups' state machines) from then on.
   *
   * @throws IOException if a log cannot be opened or the cluster port cannot be bound
   */
  public static MetadataGroup start(
      ClusterConfig config, Path directory, MetadataApplier applier, QueueGroups queueGroups)
      throws IOException {
    boolean fresh = !Files.isDirectory(directory.resolve(GROUP_ID.getUuid().toString()));
    Files.createDirectories(directory);
    RaftProperties properties = properties(config, directory);
    RaftPeer self = peer(config.peers(), config.nodeName());
    Collection<RaftPeer> configured = Membership.configuration(config, properties, GROUP_ID);
    boolean member = configured == null || Membership.peer(configured, config.nodeName()) != null;
    if (configured != null && member) {
      Membership.compare(config, configured);
    }
    if (!member && !fresh) {
      String refusal =
          "node "
              + config.nodeName()
              + " is not a member of the cluster "
              + Membership.names(configured)
              + " any more (it was removed: forget_cluster_node) and does not rejoin with its old"
              + " data; to add it again, start it on an empty data directory";
      LOG.error(refusal);
      throw new IOException(refusal);
    }
    RaftGroup group =
        configured == null ? group(config.peers()) : RaftGroup.valueOf(GROUP_ID, configured);
    MetadataStateMachine stateMachine = new MetadataStateMachine(config.nodeName(), applier);
    RaftServer server =
        RaftServer.newBuilder()
            .setServerId(RaftPeerId.valueOf(config.nodeName()))
            // Joining: the group without peers; Ratis waits outside the configuration for the
            // leader to add this node.
            .setGroup(member ? group : RaftGroup.valueOf(GROUP_ID))
            .setStateMachineRegistry(
                id -> GROUP_ID.equals(id) ? stateMachine : queueGroups.stateMachine(id))
            .setProperties(properties)
            .setOption(RaftStorage.StartupOption.RECOVER)
            .build();
    server.start();
    Supplier<Collection<RaftPeer>> nodes = () -> nodes(server, group);
    try {
      queueGroups.start(
          server, properties, RETRY_SLEEP, fresh && member, configured != null, nodes);
      if (!member) {
        Membership.join(config, properties, configured, self);
      }
    } catch (IOException | RuntimeException e) {
      queueGroups.close();
      server.close();
      throw e;
    }
    long tries =
        Math.max(1, config.commitTimeout().toMillis() / RETRY_SLEEP.toLong(TimeUnit.MILLISECONDS));
    RaftClient client =
        RaftClient.newBuilder()
            .setClientId(ClientId.randomId())
            .setRaftGroup(RaftGroup.valueOf(GROUP_ID, nodes.get()))
            .setProperties(properties)
            .setRetryPolicy(
                RetryPolicies.retryUpToMaximumCountWithFixedSleep((int) tries, RETRY_SLEEP))
            .build();
    LOG.info(
        "node {}: metadata group started, cluster listener {}:{}, nodes {}, log in {}",
        config.nodeName(),
        config.host(),
        config.port(),
        Membership.names(nodes.get()),
        directory.toAbsolutePath());
    ClusterWatch watch =
        new ClusterWatch(
            config, server, properties, group, queueGroups.ids(), queueGroups::nodeStopped);
    return new MetadataGroup(config, properties, server, client, stateMachine, queueGroups, watch);
  }

  /**
   * The voters of the metadata group's configuration on {@code server}, or {@code initial} while it
   * has none (joining).
   */
  private static Collection<RaftPeer> nodes(RaftServer server, RaftGroup initial) {
    try {
      Collection<RaftPeer> voters = server.getDivision(GROUP_ID).getRaftConf().getCurrentPeers();
      return voters.isEmpty() ? initial.getPeers() : voters;
    } catch (IOException e) {
      return initial.getPeers();
    }
  }

  private static RaftGroup group(List<ClusterPeer> peers) {
    return RaftGroup.valueOf(GROUP_ID, peers(peers));
  }

  static List<RaftPeer> peers(List<ClusterPeer> peers) {
    return peers.stream()
        .map(p -> RaftPeer.newBuilder().setId(p.name()).setAddress(p.address()).build())
        .toList();
  }

  private static RaftPeer peer(List<ClusterPeer> peers, String name) {
    return Membership.peer(peers(peers), name);
  }

  private static RaftProperties properties(ClusterConfig config, Path directory) {
    RaftProperties properties = new RaftProperties();
    RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.NETTY);
    NettyConfigKeys.Server.setHost(properties, config.host());
    NettyConfigKeys.Server.setPort(properties, config.port());
    RaftServerConfigKeys.setStorageDir(properties, List.of(directory.toFile()));
    // Ratis' 150-300 ms election timeout made leaders flap on a loaded two-core machine (three
    // JVMs warming up): a change of definitions can wait a second for a new leader.
    RaftServerConfigKeys.Rpc.setTimeoutMin(properties, ELECTION_TIMEOUT_MIN);
    RaftServerConfigKeys.Rpc.setTimeoutMax(properties, ELECTION_TIMEOUT_MAX);
    // Every entry is fsynced before it counts as written (DESIGN.md section 4): never unsafe flush.
    RaftServerConfigKeys.Log.setUnsafeFlushEnabled(properties, false);
    // One thread takes in client requests, so that a queue's entries that its leader submits to
    // its own server one after the other (QueueGroup#submit) are appended in that order.
    RaftServerConfigKeys.ThreadPool.setClientCached(properties, false);
    RaftServerConfigKeys.ThreadPool.setClientSize(properties, 1);
    // A snapshot every snapshotEvery entries; the log is purged up to it (closed segments only).
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, config.snapshotEvery());
    RaftServerConfigKeys.Snapshot.setTriggerWhenStopEnabled(properties, false);
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(properties, true);
    RaftServerConfigKeys.Log.setPurgeGap(properties, 1);
    RaftServerConfigKeys.Log.setSegmentSizeMax(
        properties, SizeInBytes.valueOf(config.logSegmentBytes()));
    RaftServerConfigKeys.Log.setPreallocatedSize(
        properties, SizeInBytes.valueOf(Math.min(config.logSegmentBytes(), 1 << 20)));
    TimeDuration timeout =
        TimeDuration.valueOf(config.commitTimeout().toMillis(), TimeUnit.MILLISECONDS);
    RaftClientConfigKeys.Rpc.setRequestTimeout(properties, timeout);
    return properties;
  }

  /**
   * Puts {@code entry} into the metadata log. The future completes once a majority has committed it
   * (and the leader applied it: this node may apply it a little later); it fails with {@link
   * MetadataUnavailableException} when that did not happen within the commit timeout.
   */
  public CompletableFuture<Void> submit(MetadataEntry entry) {
    return client
        .async()
        .send(Message.valueOf(ByteString.copyFrom(entry.encode())))
        .orTimeout(config.commitTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (reply, failure) -> {
              if (failure == null && reply.isSuccess()) {
                return null;
              }
              throw new CompletionException(unavailable(reply, failure));
            });
  }

  private MetadataUnavailableException unavailable(RaftClientReply reply, Throwable failure) {
    Throwable cause = failure;
    if (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause == null) {
      cause = reply.getException();
    }
    String why =
        cause instanceof TimeoutException
            ? "no majority of "
                + config.peers().size()
                + " nodes committed it within "
                + config.commitTimeout().toMillis()
                + " ms"
            : "the metadata group refused it: " + cause;
    return new MetadataUnavailableException("metadata store unavailable: " + why, cause);
  }

  /** The node leading the metadata group as this node last heard, or null while it knows none. */
  public String leader() {
    return stateMachine.leader();
  }

  /**
   * The cluster's nodes: the voters of the metadata group's configuration as this node has it
   * (sorted names); empty once this node's member has stopped.
   */
  public Set<String> nodes() {
    try {
      return Membership.names(server.getDivision(GROUP_ID).getRaftConf().getCurrentPeers());
    } catch (IOException e) {
      return Set.of();
    }
  }

  /**
   * Removes the stopped node {@code node} from the cluster: from every queue group it votes in
   * (replaced by a running node that does not vote there yet, if one), then from the metadata
   * group. Blocking, up to a minute per group (a replacement catches up with the group's log).
   *
   * @throws MembershipException when refused (not a node of the cluster, running, the majority
   *     would be lost) or a reconfiguration failed
   */
  public void forget(String node) throws MembershipException {
    Collection<RaftPeer> nodes;
    try {
      nodes = server.getDivision(GROUP_ID).getRaftConf().getCurrentPeers();
    } catch (IOException e) {
      throw new MembershipException(
          MembershipException.Reason.FAILED, "this node's metadata group has stopped", e);
    }
    Membership.forget(config, properties, nodes, queueGroups.groups(), node);
  }

  /**
   * Every node of the cluster (the metadata group's configuration: joined ones too, removed ones
   * not; the peer list's first, in its order), and whether it runs as this node last checked (at
   * most {@link ClusterWatch#PERIOD_MILLIS} ago; the rule is {@link Liveness}'s).
   */
  public List<NodeStatus> nodeStatus() {
    return watch.nodes(nodes());
  }

  /** This node's name. */
  public String nodeName() {
    return config.nodeName();
  }

  /** Stops the clients and the Raft server (its logs are closed, fsynced). */
  @Override
  public void close() {
    watch.close();
    queueGroups.close();
    try {
      client.close();
    } catch (IOException e) {
      LOG.warn("node {}: metadata group client did not close cleanly", config.nodeName(), e);
    }
    try {
      server.close();
    } catch (IOException e) {
      LOG.warn("node {}: metadata group server did not close cleanly", config.nodeName(), e);
    }
    LOG.info("node {}: metadata group stopped", config.nodeName());
  }
}
