package dev.warren.broker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import dev.warren.broker.it.AmqpErrors;
import dev.warren.broker.it.Messages;
import dev.warren.broker.it.Poll;
import dev.warren.broker.metadata.ClusterMembership;
import dev.warren.persistence.definitions.DefinitionStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The metadata group (issue 17, first slice): three brokers in this JVM on loopback form a cluster,
 * and a change of definitions made on one node is committed through the replicated log and exists
 * on every node, through the same apply code a single node runs. Queues are node-local in this
 * slice: every node has its own copy of a durable queue, with its own messages.
 */
class MetadataClusterTest extends ClusterTest {
  private static final Duration REPLICATED = Duration.ofSeconds(10);

  @Test
  void definitionsMadeOnOneNodeExistOnEveryNode() throws Exception {
    cluster = new ClusterNodes(root, 3).startAll();
    assertEquals(201, http(0, "PUT", "/api/vhosts/orders", "{}"));
    assertEquals(
        201, http(0, "PUT", "/api/users/alice", "{\"password\":\"secret\",\"tags\":\"\"}"));
    assertEquals(
        201,
        http(
            0,
            "PUT",
            "/api/permissions/orders/alice",
            "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}"));
    Channel ch = cluster.connect(0).createChannel();
    ch.exchangeDeclare("x.orders", "direct", true);
    ch.queueDeclare("q.orders", true, false, false, null);
    ch.queueBind("q.orders", "x.orders", "paid");
    ch.exchangeDeclare("x.last", "fanout", true); // entries apply in order: then the rest is there

    for (int node = 1; node <= 2; node++) {
      Connection c = cluster.connect(node);
      awaitDeclared(c, "x.last", "q.orders");
      assertTrue(exchangeExists(c, "x.orders"));
      // The binding is there too: a message published to this node routes to its copy of the
      // queue (mandatory: an unroutable one would come back).
      Channel publisher = c.createChannel();
      publisher.confirmSelect();
      AtomicBoolean returned = new AtomicBoolean();
      publisher.addReturnListener(r -> returned.set(true));
      publisher.basicPublish(
          "x.orders", "paid", true, null, Messages.bytes("order on n" + (node + 1)));
      publisher.waitForConfirmsOrDie(5_000);
      assertFalse(returned.get(), "routed through the replicated binding");
      GetResponse got = Messages.await(publisher, "q.orders", true);
      assertEquals("order on n" + (node + 1), Messages.text(got.getBody()));
    }
    // The vhost, the user and the permission: alice logs in to n3 on vhost orders.
    Connection alice = cluster.connect(2, "alice", "secret", "orders");
    alice.createChannel().exchangeDeclarePassive("amq.topic");
  }

  @Test
  void aNodeRestartedOnItsDataDirCatchesUpWithChangesMadeWhileItWasDown() throws Exception {
    cluster = new ClusterNodes(root, 3).startAll();
    Channel ch = cluster.connect(0).createChannel();
    ch.exchangeDeclare("x.doomed", "fanout", true);
    awaitDeclared(cluster.connect(2), "x.doomed", null);

    cluster.stop(2);
    ch.exchangeDeclare("x.late", "topic", true);
    ch.queueDeclare("q.late", true, false, false, null);
    ch.queueBind("q.late", "x.late", "#");
    ch.exchangeDelete("x.doomed");

    cluster.start(2);
    Connection n3 = cluster.connect(2);
    awaitDeclared(n3, "x.late", "q.late");
    Poll.until(REPLICATED, () -> !exchangeExists(n3, "x.doomed"), "x.doomed gone on n3");
    Channel publisher = n3.createChannel();
    publisher.basicPublish("x.late", "any.key", null, Messages.bytes("routed on n3"));
    assertEquals(
        "routed on n3", Messages.text(Messages.await(publisher, "q.late", true).getBody()));
  }

  @Test
  void aNodeBehindThePurgedLogIsSentASnapshotAndCatchesUp() throws Exception {
    cluster = new ClusterNodes(root, 3).withSnapshots(4, 1024).startAll();
    Channel ch = cluster.connect(0).createChannel();
    ch.exchangeDeclare("x.doomed", "fanout", true);
    awaitDeclared(cluster.connect(2), "x.doomed", null);
    cluster.stop(2);
    long stoppedAt = storedLogIndex(cluster.dataDir(2));

    ch.exchangeDelete("x.doomed");
    for (int i = 0; i < 24; i++) {
      ch.exchangeDeclare("x.while-down-" + i, "direct", true);
    }
    ch.queueDeclare("q.while-down", true, false, false, null);
    ch.queueBind("q.while-down", "x.while-down-23", "k");
    ch.exchangeDeclare("x.last", "fanout", true); // entries apply in order: then the rest is there
    // The leader's log no longer holds the entries n3 lacks: only a snapshot can bring them.
    // The metadata group's directory only: the queue groups' logs live beside it.
    Path leaderLog =
        cluster
            .dataDir(0)
            .resolve(ClusterMembership.DIRECTORY)
            .resolve(
                UUID.nameUUIDFromBytes("warren-metadata".getBytes(StandardCharsets.US_ASCII))
                    .toString());
    Poll.until(
        REPLICATED,
        () -> firstLogIndex(leaderLog) > stoppedAt + 1,
        "the leader's log purged past index " + stoppedAt);

    cluster.start(2);
    Connection n3 = cluster.connect(2);
    awaitDeclared(n3, "x.last", "q.while-down");
    for (int i = 0; i < 24; i++) {
      assertTrue(exchangeExists(n3, "x.while-down-" + i), "x.while-down-" + i);
    }
    assertFalse(exchangeExists(n3, "x.doomed"), "the deletion is in the snapshot too");
    Channel publisher = n3.createChannel();
    publisher.basicPublish("x.while-down-23", "k", null, Messages.bytes("routed on n3"));
    assertEquals(
        "routed on n3", Messages.text(Messages.await(publisher, "q.while-down", true).getBody()));
  }

  /** The metadata log index a stopped node's definitions store has applied. */
  private static long storedLogIndex(Path dataDir) {
    try (DefinitionStore store = DefinitionStore.open(dataDir.resolve("definitions"))) {
      return store.logPosition().index();
    }
  }

  /** The first index of the Raft log segments under {@code directory} (Ratis' file names). */
  private static long firstLogIndex(Path directory) throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.startsWith("log_"))
          .mapToLong(
              n ->
                  Long.parseLong(
                      n.replace("log_inprogress_", "").replace("log_", "").split("-")[0]))
          .min()
          .orElse(0);
    }
  }

  @Test
  void aChangeWithoutAMajorityFailsAndIsNotApplied() throws Exception {
    cluster = new ClusterNodes(root, 3).startAll();
    Connection n1 = cluster.connect(0);
    cluster.stop(1);
    cluster.stop(2);

    Channel ch = n1.createChannel();
    ShutdownSignalException refused =
        org.junit.jupiter.api.Assertions.assertThrows(
            ShutdownSignalException.class,
            () -> {
              try {
                ch.exchangeDeclare("x.no-majority", "direct", true);
              } catch (IOException e) {
                throw e.getCause();
              }
            });
    assertTrue(refused.isHardError(), "INTERNAL_ERROR is a connection error");
    AMQP.Connection.Close close = (AMQP.Connection.Close) refused.getReason();
    assertEquals(AMQP.INTERNAL_ERROR, close.getReplyCode());
    assertTrue(close.getReplyText().contains("metadata store unavailable"), close.getReplyText());

    assertFalse(exchangeExists(cluster.connect(0), "x.no-majority"), "not applied on n1");
    int status = http(0, "PUT", "/api/vhosts/no-majority", "{}");
    assertTrue(status >= 500, "the management API answers 5xx, got " + status);
    assertEquals(404, http(0, "GET", "/api/vhosts/no-majority", null));
  }

  /** Waits until node's passive declarations of the exchange (and queue, unless null) succeed. */
  private static void awaitDeclared(Connection c, String exchange, String queue) {
    Poll.until(
        REPLICATED,
        () -> exchangeExists(c, exchange) && (queue == null || queueExists(c, queue)),
        exchange + (queue == null ? "" : " and " + queue) + " replicated");
  }

  private static boolean exchangeExists(Connection c, String name) throws IOException {
    Channel probe = c.createChannel();
    try {
      probe.exchangeDeclarePassive(name);
      probe.close();
      return true;
    } catch (IOException e) {
      assertEquals(404, AmqpErrors.replyCode((ShutdownSignalException) e.getCause()));
      return false;
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IOException(e);
    }
  }

  private static boolean queueExists(Connection c, String name) throws IOException {
    Channel probe = c.createChannel();
    try {
      probe.queueDeclarePassive(name);
      probe.close();
      return true;
    } catch (IOException e) {
      assertEquals(404, AmqpErrors.replyCode((ShutdownSignalException) e.getCause()));
      return false;
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IOException(e);
    }
  }

  /** One management API call to node {@code i} as guest; returns the status. */
  private int http(int i, String method, String path, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + cluster.node(i).managementPort() + path))
            .timeout(Duration.ofSeconds(20))
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString("guest:guest".getBytes(StandardCharsets.UTF_8)))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("content-type", "application/json");
    }
    HttpResponse<String> reply =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertNotNull(reply.body());
    return reply.statusCode();
  }
}
