package dev.warren.faults;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * The cluster a client works against and how it reconnects: the options every workload command
 * shares (a picocli mixin). A client prefers one node and, when that one fails, tries the others in
 * turn until one answers: any live node must serve the queue.
 */
final class Cluster {
  private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);

  @Option(
      names = "--nodes",
      split = ",",
      required = true,
      description = "every node's AMQP address, HOST:PORT, comma-separated; node I is the I-th")
  List<String> nodes;

  @Option(
      names = "--prefer",
      defaultValue = "1",
      description = "the node (1-based) tried first (${DEFAULT-VALUE})")
  int prefer;

  @Option(
      names = "--queue",
      defaultValue = "faults",
      description = "the quorum queue (${DEFAULT-VALUE})")
  String queue;

  @Option(
      names = "--client",
      required = true,
      description = "this client's name: its message ids and its log file")
  String client;

  @Option(names = "--events", required = true, description = "directory of the event logs")
  Path events;

  @Option(names = "--user", defaultValue = "guest", description = "user (${DEFAULT-VALUE})")
  String user;

  @Option(names = "--password", defaultValue = "guest", description = "password (${DEFAULT-VALUE})")
  String password;

  /** An open connection and the node (1-based) it reached. */
  record Link(Connection connection, int node) {
    String nodeName() {
      return "n" + node;
    }

    /** Closes without waiting for the broker: the node may be stopped or cut off. */
    void abort() {
      connection.abort(2_000);
    }
  }

  /**
   * Connects to the preferred node, else to the next ones in turn, round and round until one
   * answers or {@code giveUpMillis} passed.
   *
   * @throws IOException when no node answered in time
   */
  Link connect(long giveUpMillis) throws IOException {
    long deadline = System.currentTimeMillis() + giveUpMillis;
    int n = nodes.size();
    for (int attempt = 0; ; attempt++) {
      int node = (prefer - 1 + attempt) % n + 1;
      try {
        Link link = new Link(factory(node).newConnection(client), node);
        LOG.info("{}: connected to n{}", client, node);
        return link;
      } catch (IOException | TimeoutException e) {
        LOG.info("{}: n{} did not answer: {}", client, node, e.toString());
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IOException(client + ": no node answered within " + giveUpMillis + " ms");
      }
      if (node == (prefer - 2 + n) % n + 1) {
        pause(1_000);
      }
    }
  }

  /** Connects to node {@code node} only; see {@link #connect}. */
  Link connectTo(int node, long giveUpMillis) throws IOException {
    long deadline = System.currentTimeMillis() + giveUpMillis;
    while (true) {
      try {
        return new Link(factory(node).newConnection(client), node);
      } catch (IOException | TimeoutException e) {
        if (System.currentTimeMillis() > deadline) {
          throw new IOException(client + ": n" + node + " did not answer: " + e, e);
        }
        pause(1_000);
      }
    }
  }

  /**
   * Declares the queue: durable, {@code x-queue-type=quorum} with three members. Declaring the same
   * again is a no-op, so {@code setup} and a client after a failure may both call it.
   */
  void declare(Channel ch) throws IOException {
    ch.queueDeclare(
        queue,
        true,
        false,
        false,
        Map.of("x-queue-type", "quorum", "x-quorum-initial-group-size", nodes.size()));
  }

  /** A factory for node {@code node}: 5 s heartbeats, no automatic recovery (we do our own). */
  private ConnectionFactory factory(int node) {
    String[] hostPort = nodes.get(node - 1).split(":");
    ConnectionFactory f = new ConnectionFactory();
    f.setHost(hostPort[0]);
    f.setPort(Integer.parseInt(hostPort[1]));
    f.setUsername(user);
    f.setPassword(password);
    f.setConnectionTimeout(5_000);
    f.setHandshakeTimeout(10_000);
    f.setRequestedHeartbeat(5);
    f.setChannelRpcTimeout(30_000);
    f.setShutdownTimeout(2_000);
    f.setAutomaticRecoveryEnabled(false);
    f.setTopologyRecoveryEnabled(false);
    return f;
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
