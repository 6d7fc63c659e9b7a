package dev.warren.broker.cluster;

import com.rabbitmq.client.Connection;
import dev.warren.broker.Broker;
import dev.warren.broker.BrokerConfig;
import dev.warren.broker.it.Poll;
import dev.warren.broker.it.TestBroker;
import dev.warren.mirroring.ClusterConfig;
import dev.warren.mirroring.ClusterPeer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Three brokers in this JVM forming one cluster on loopback: each with its own data directory under
 * the test's, AMQP and management on port 0, and a cluster port picked free before the first start
 * (the peer list names it, so a restart reuses it). Nodes are {@code n1}, {@code n2}, {@code n3};
 * index 0 is {@code n1}.
 */
final class ClusterNodes implements AutoCloseable {
  /** Short, so that a change without a majority fails within the test's budget. */
  static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(2);

  /** A thread of its own for each node starting. */
  private static final Executor STARTER = task -> new Thread(task, "cluster-node-start").start();

  private final Path root;
  private final List<ClusterPeer> peers = new ArrayList<>();

  /** Snapshots every this many entries, with log segments of {@link #segmentBytes}; 0: defaults. */
  private long snapshotEvery;

  private long segmentBytes;
  private final Broker[] brokers;
  private final List<Connection> connections = new ArrayList<>();

  ClusterNodes(Path root, int size) {
    this.root = root;
    this.brokers = new Broker[size];
    for (int i = 0; i < size; i++) {
      peers.add(new ClusterPeer("n" + (i + 1), "127.0.0.1", freePort()));
    }
  }

  /** Nodes that take a snapshot every {@code entries} and keep log segments this small. */
  ClusterNodes withSnapshots(long entries, long bytes) {
    snapshotEvery = entries;
    segmentBytes = bytes;
    return this;
  }

  /** Where node {@code i} keeps its data. */
  Path dataDir(int i) {
    return root.resolve(peers.get(i).name());
  }

  /** Starts every node, then waits until each knows the metadata group's leader. */
  /**
   * Starts every node at once, as an operator starting a cluster would: each waits at start for a
   * majority to catch up with the metadata log.
   */
  ClusterNodes startAll() {
    List<CompletableFuture<Broker>> starting = new ArrayList<>();
    for (int i = 0; i < brokers.length; i++) {
      int node = i;
      starting.add(CompletableFuture.supplyAsync(() -> start(node), STARTER));
    }
    starting.forEach(CompletableFuture::join);
    for (int i = 0; i < brokers.length; i++) {
      awaitLeader(i);
    }
    return this;
  }

  /** Starts node {@code i} on its data directory (again, after {@link #stop}). */
  Broker start(int i) {
    ClusterPeer me = peers.get(i);
    ClusterConfig cluster =
        ClusterConfig.of(me.name(), me.host(), me.port(), peers).withCommitTimeout(COMMIT_TIMEOUT);
    if (snapshotEvery > 0) {
      cluster = cluster.withSnapshots(snapshotEvery, segmentBytes);
    }
    BrokerConfig config =
        BrokerConfig.defaults().toBuilder()
            .dataDir(dataDir(i))
            .amqpPort(0)
            .managementPort(0)
            .prometheusPort(0)
            .ioThreads(1)
            .cluster(cluster)
            .build();
    brokers[i] = Broker.start(config);
    return brokers[i];
  }

  void awaitLeader(int i) {
    Poll.until(
        Duration.ofSeconds(20),
        () -> brokers[i].clusterLeader() != null,
        peers.get(i).name() + " to know the metadata group's leader");
  }

  Broker node(int i) {
    return brokers[i];
  }

  /** A guest connection to node {@code i}, closed with the cluster. */
  Connection connect(int i) throws Exception {
    return connect(i, "guest", "guest", "/");
  }

  Connection connect(int i, String user, String password, String vhost) throws Exception {
    var factory = TestBroker.connectionFactory("127.0.0.1", brokers[i].amqpPort());
    factory.setUsername(user);
    factory.setPassword(password);
    factory.setVirtualHost(vhost);
    Connection c = factory.newConnection();
    connections.add(c);
    return c;
  }

  /** Stops node {@code i} as an operator would; its data directory stays. */
  void stop(int i) {
    brokers[i].close();
    brokers[i] = null;
  }

  @Override
  public void close() {
    for (Connection c : connections) {
      try {
        if (c.isOpen()) {
          c.abort(1000);
        }
      } catch (RuntimeException e) {
        // the test's own result matters more
      }
    }
    for (int i = 0; i < brokers.length; i++) {
      if (brokers[i] != null) {
        stop(i);
      }
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
