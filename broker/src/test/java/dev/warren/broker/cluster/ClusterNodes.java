package dev.warren.broker.cluster;

import com.rabbitmq.client.Connection;
import dev.warren.broker.Broker;
import dev.warren.broker.BrokerConfig;
import dev.warren.broker.ChildBroker;
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
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;

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

  /** How long a test waits for a group to elect a leader. */
  static final Duration ELECTED = Duration.ofSeconds(15);

  private final Path root;
  private final List<ClusterPeer> peers = new ArrayList<>();

  /** Snapshots every this many entries, with log segments of {@link #segmentBytes}; 0: defaults. */
  private long snapshotEvery;

  private long segmentBytes;
  private Broker[] brokers;

  /** The node that runs as a child JVM, or -1; and that JVM while it runs. */
  private int child = -1;

  private ChildBroker childBroker;

  /** How many nodes formed the cluster: the queue groups' voters and priorities come from them. */
  private final int formed;

  private final List<Connection> connections = new ArrayList<>();

  ClusterNodes(Path root, int size) {
    this.root = root;
    this.brokers = new Broker[size];
    this.formed = size;
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

  /**
   * Node {@code i} runs as a child JVM ({@link ChildBroker}, the launcher with its default commit
   * timeout), so that a test can {@link #kill} it.
   */
  ClusterNodes withChild(int i) {
    child = i;
    return this;
  }

  /** Where node {@code i} keeps its data. */
  Path dataDir(int i) {
    return root.resolve(peers.get(i).name());
  }

  /**
   * Starts every node at once, as an operator starting a cluster would: each waits at start for a
   * majority to catch up with the metadata log; then waits until each knows the group's leader.
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

  /**
   * Starts node {@code i} on its data directory (again, after {@link #stop}); null for the child
   * JVM.
   */
  Broker start(int i) {
    ClusterPeer me = peers.get(i);
    if (i == child) {
      startChild(me);
      return null;
    }
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

  private void startChild(ClusterPeer me) {
    List<String> flags =
        List.of(
            "--node-name",
            me.name(),
            "--cluster-address",
            me.host() + ":" + me.port(),
            "--cluster-peers",
            String.join(
                ",", peers.stream().map(p -> p.name() + "@" + p.host() + ":" + p.port()).toList()));
    try {
      childBroker =
          ChildBroker.start(dataDir(child), Duration.ofSeconds(60), List.of("-Xmx256m"), flags);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** kill -9 of the child JVM; returns once it has exited. */
  void kill(int i) throws InterruptedException {
    if (i != child || childBroker == null) {
      throw new IllegalArgumentException("node " + i + " is not a running child JVM");
    }
    childBroker.kill9();
    childBroker = null;
  }

  /**
   * Starts one more node on an empty data directory, as an operator adds a node to a running
   * cluster: its peer list names every node and itself. Returns its index once it knows the
   * metadata group's leader (its start returns once it has joined).
   */
  int join() {
    peers.add(new ClusterPeer("n" + (peers.size() + 1), "127.0.0.1", freePort()));
    brokers = Arrays.copyOf(brokers, peers.size());
    int i = peers.size() - 1;
    start(i);
    awaitLeader(i);
    return i;
  }

  void awaitLeader(int i) {
    if (i == child) {
      return; // it logs its AMQP port once it has joined
    }
    Poll.until(
        Duration.ofSeconds(20),
        () -> brokers[i].clusterLeader() != null,
        peers.get(i).name() + " to know the metadata group's leader");
  }

  /**
   * Waits until the running nodes agree on a leader of {@code queue}'s group (in vhost "/") other
   * than node {@code not} (-1: any), and that leader is the group's preferred node if that one runs
   * (Ratis hands leadership to it once it has caught up, so until then the leader may move);
   * returns its index.
   */
  int awaitQueueLeader(String queue, int not) {
    int[] found = {-1};
    Poll.until(
        ELECTED,
        () -> {
          String agreed = null;
          for (int i = 0; i < brokers.length; i++) {
            if (i == not || brokers[i] == null) {
              continue;
            }
            String leader = brokers[i].queueLeader("/", queue);
            if (leader == null || (agreed != null && !agreed.equals(leader))) {
              return false;
            }
            agreed = leader;
          }
          int index = Integer.parseInt(agreed.substring(1)) - 1;
          found[0] = index;
          int preferred = preferred(queue);
          boolean settled = index == preferred || preferred == not || brokers[preferred] == null;
          return index != not && brokers[index] != null && settled;
        },
        "a leader of the group of " + queue);
    return found[0];
  }

  /** The first of {@code prefix}-0, {@code prefix}-1, ... whose group prefers node {@code i}. */
  String queuePreferring(int i, String prefix) {
    for (int n = 0; ; n++) {
      if (preferred(prefix + "-" + n) == i) {
        return prefix + "-" + n;
      }
    }
  }

  /**
   * The node that a queue's group prefers as leader: {@code QueueGroup}'s priorities, 4 groups,
   * among the nodes that formed the cluster.
   */
  private int preferred(String queue) {
    return Math.floorMod(("/" + '\u0000' + queue).hashCode(), 4) % formed;
  }

  Broker node(int i) {
    return brokers[i];
  }

  /** A guest connection to node {@code i}, closed with the cluster. */
  Connection connect(int i) throws Exception {
    return connect(i, "guest", "guest", "/");
  }

  Connection connect(int i, String user, String password, String vhost) throws Exception {
    int port = i == child ? childBroker.port() : brokers[i].amqpPort();
    var factory = TestBroker.connectionFactory("127.0.0.1", port);
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
    if (childBroker != null) {
      childBroker.close();
    }
  }

  /**
   * A free port below Linux's ephemeral range (32768-60999 by default). A port from that range,
   * picked now and bound only when its node starts, can be taken meanwhile as the local end of an
   * outgoing connection: the other nodes retry connecting to the node not started yet many times a
   * second, and one such connect may even land on that very port (a connection to itself).
   */
  private static int freePort() {
    IOException last = null;
    for (int i = 0; i < 200; i++) {
      int port = 20_000 + ThreadLocalRandom.current().nextInt(12_000);
      try (ServerSocket socket = new ServerSocket(port)) {
        return socket.getLocalPort();
      } catch (IOException e) {
        last = e;
      }
    }
    throw new UncheckedIOException("no free port in 20000-31999", last);
  }
}
