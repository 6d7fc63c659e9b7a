package dev.warren.mirroring;

import java.time.Duration;
import java.util.List;

/**
 * How this node takes part in the cluster (the launcher's {@code --node-name}, {@code
 * --cluster-address} and {@code --cluster-peers}). Every node is given the same peers; they are the
 * voters of the metadata group.
 *
 * @param nodeName this node's name: one of {@code peers}
 * @param host the address the cluster listener binds
 * @param port its port
 * @param peers every node of the cluster, this one included
 * @param commitTimeout the most a change of definitions waits to be committed and applied here
 *     before it fails (no majority, no leader)
 * @param snapshotEvery entries applied between two snapshots of the metadata group; the log is
 *     purged up to a snapshot (closed segments only), and a node that lags further behind is sent
 *     the snapshot
 * @param logSegmentBytes the largest segment file of the metadata log
 * @param queueGroups how many queue groups the cluster has (the Raft groups that mirrored queues
 *     live in, {@link QueueGroups}); every node must be given the same count
 */
public record ClusterConfig(
    String nodeName,
    String host,
    int port,
    List<ClusterPeer> peers,
    Duration commitTimeout,
    long snapshotEvery,
    long logSegmentBytes,
    int queueGroups) {

  /** How long a change of definitions waits for a majority by default. */
  public static final Duration DEFAULT_COMMIT_TIMEOUT = Duration.ofSeconds(10);

  /** Entries between two snapshots by default. */
  public static final long DEFAULT_SNAPSHOT_EVERY = 10_000;

  /** The largest log segment by default: definitions are small (an entry is about 100 bytes). */
  public static final long DEFAULT_LOG_SEGMENT_BYTES = 1 << 20;

  /** Queue groups by default: a few Raft groups for every mirrored queue, leaders spread. */
  public static final int DEFAULT_QUEUE_GROUPS = 4;

  public ClusterConfig {
    peers = List.copyOf(peers);
    if (peers.stream().noneMatch(p -> p.name().equals(nodeName))) {
      throw new IllegalArgumentException(
          "node '" + nodeName + "' is not one of the cluster peers " + peers);
    }
    if (commitTimeout.isNegative() || commitTimeout.isZero()) {
      throw new IllegalArgumentException("commit timeout must be positive");
    }
    if (snapshotEvery < 1 || logSegmentBytes < 1024) {
      throw new IllegalArgumentException("snapshotEvery >= 1 and logSegmentBytes >= 1024");
    }
    if (queueGroups < 1 || queueGroups > 1024) {
      throw new IllegalArgumentException("queue groups must be in [1, 1024]: " + queueGroups);
    }
  }

  /**
   * From the launcher's flags.
   *
   * @param address {@code host:port}
   * @param peers {@code n1@host:port,n2@host:port,...}
   * @throws IllegalArgumentException naming what is malformed
   */
  public static ClusterConfig of(String nodeName, String address, String peers) {
    String[] hostPort = ClusterPeer.hostPort(address);
    return new ClusterConfig(
        nodeName,
        hostPort[0],
        ClusterPeer.port(hostPort[1], address),
        ClusterPeer.parseList(peers),
        DEFAULT_COMMIT_TIMEOUT,
        DEFAULT_SNAPSHOT_EVERY,
        DEFAULT_LOG_SEGMENT_BYTES,
        DEFAULT_QUEUE_GROUPS);
  }

  /** A node with the default timeouts and log sizes. */
  public static ClusterConfig of(String nodeName, String host, int port, List<ClusterPeer> peers) {
    return new ClusterConfig(
        nodeName,
        host,
        port,
        peers,
        DEFAULT_COMMIT_TIMEOUT,
        DEFAULT_SNAPSHOT_EVERY,
        DEFAULT_LOG_SEGMENT_BYTES,
        DEFAULT_QUEUE_GROUPS);
  }

  public ClusterConfig withCommitTimeout(Duration timeout) {
    return new ClusterConfig(
        nodeName, host, port, peers, timeout, snapshotEvery, logSegmentBytes, queueGroups);
  }

  /** Snapshots every {@code entries}, with log segments of {@code segmentBytes} (tests). */
  public ClusterConfig withSnapshots(long entries, long segmentBytes) {
    return new ClusterConfig(
        nodeName, host, port, peers, commitTimeout, entries, segmentBytes, queueGroups);
  }

  /** A cluster of {@code count} queue groups. */
  public ClusterConfig withQueueGroups(int count) {
    return new ClusterConfig(
        nodeName, host, port, peers, commitTimeout, snapshotEvery, logSegmentBytes, count);
  }
}
