package dev.warren.broker.cluster;

import static dev.warren.broker.cluster.QuorumMessages.PERSISTENT;
import static dev.warren.broker.cluster.QuorumMessages.QUORUM;
import static dev.warren.broker.cluster.QuorumMessages.publishConfirmed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import dev.warren.broker.it.Poll;
import dev.warren.mirroring.MembershipException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Nodes added to and removed from a running cluster (issue 17, membership), with Ratis' own
 * reconfiguration: a node joins on an empty data directory; a stopped node is removed through the
 * management API ({@code DELETE /api/nodes/{node}}, what {@code warrenctl forget_cluster_node}
 * sends) or {@code Broker.forgetClusterNode}. Brokers in this JVM on loopback ({@link
 * ClusterNodes}).
 */
@Timeout(90) // three nodes, then a fourth, on a shared two-core machine: 30 s was not always enough
class MembershipClusterTest extends ClusterTest {

  @Test
  void aNodeStartedOnAnEmptyDirectoryJoinsCatchesUpAndServesAQuorumQueueWithConfirms()
      throws Exception {
    cluster = new ClusterNodes(root, 3).startAll();
    Channel onN1 = cluster.connect(0).createChannel();
    onN1.exchangeDeclare("before-join", "topic", true);

    int n4 = cluster.join();

    for (int i = 0; i <= n4; i++) {
      int node = i;
      Poll.until(
          Duration.ofSeconds(10),
          () -> cluster.node(node).clusterNodes().equals(Set.of("n1", "n2", "n3", "n4")),
          "n" + (node + 1) + " to count n4 among the cluster's nodes");
    }
    Channel ch = cluster.connect(n4).createChannel();
    ch.exchangeDeclarePassive("before-join"); // caught up with the definitions made before it came
    ch.queueDeclare("joined", true, false, false, QUORUM);
    int leader = cluster.awaitQueueLeader("joined", -1);
    assertFalse(leader == n4, "n4 votes in no queue group: it forwards");
    ch.confirmSelect();
    for (int i = 0; i < 50; i++) {
      ch.basicPublish("", "joined", PERSISTENT, ("m" + i).getBytes(StandardCharsets.UTF_8));
    }
    ch.waitForConfirmsOrDie(10_000);
    for (int i = 0; i < 50; i++) {
      GetResponse got = ch.basicGet("joined", false);
      assertNotNull(got, "message " + i + " through n4");
      assertEquals("m" + i, new String(got.getBody(), StandardCharsets.UTF_8));
      ch.basicAck(got.getEnvelope().getDeliveryTag(), false);
    }
    Channel onLeader = cluster.connect(leader).createChannel();
    Poll.until(
        Duration.ofSeconds(10),
        () -> onLeader.queueDeclarePassive("joined").getMessageCount() == 0,
        "n4's acks to reach the queue's leader");

    // Restarted on its data, the joined node is a member: not refused, not added again.
    cluster.stop(n4);
    cluster.start(n4);
    cluster.awaitLeader(n4);
    assertEquals(Set.of("n1", "n2", "n3", "n4"), cluster.node(n4).clusterNodes());
    Channel again = cluster.connect(n4).createChannel();
    again.confirmSelect();
    again.basicPublish("", "joined", PERSISTENT, "after restart".getBytes(StandardCharsets.UTF_8));
    again.waitForConfirmsOrDie(10_000);
    GetResponse got = again.basicGet("joined", true);
    assertNotNull(got, "served after its restart");
    assertEquals("after restart", new String(got.getBody(), StandardCharsets.UTF_8));
  }

  @Test
  void aStoppedNodeRemovedIsReplacedSoTheMajorityIsCountedWithoutItAndItCannotComeBack()
      throws Exception {
    cluster = new ClusterNodes(root, 3).startAll();
    int n4 = cluster.join();
    Channel onN1 = cluster.connect(0).createChannel();
    onN1.queueDeclare("kept", true, false, false, QUORUM);
    publishConfirmed(onN1, "kept", 0, 10);

    cluster.stop(2);
    HttpResponse<String> forgot = forget(0, "n3");
    assertEquals(204, forgot.statusCode(), forgot.body());

    for (int i : new int[] {0, 1, n4}) {
      int node = i;
      Poll.until(
          Duration.ofSeconds(10),
          () -> cluster.node(node).clusterNodes().equals(Set.of("n1", "n2", "n4")),
          "n" + (node + 1) + " to count the cluster without n3");
    }
    Poll.until(
        Duration.ofSeconds(10),
        () -> apiNodes(0).equals(List.of("n1 running", "n2 running", "n4 running")),
        "/api/nodes on n1 to list the joined n4 and not the removed n3");
    // n2 down too: two of n1, n2, n4 still are a majority; of n1..n4 they would not be.
    cluster.stop(1);
    Channel onN4 = cluster.connect(n4).createChannel();
    onN4.exchangeDeclare("after-removal", "direct", true); // the metadata group commits
    publishConfirmed(onN4, "kept", 10, 10); // the queue's group commits (n4 replaced n3)
    for (int i = 0; i < 20; i++) {
      GetResponse got = onN4.basicGet("kept", true);
      assertNotNull(got, "message " + i);
      assertEquals("m" + i, new String(got.getBody(), StandardCharsets.UTF_8));
    }

    UncheckedIOException refused = assertThrows(UncheckedIOException.class, () -> cluster.start(2));
    assertTrue(
        refused.getMessage().contains("node n3 is not a member of the cluster"),
        refused.getMessage());
    publishConfirmed(onN4, "kept", 20, 1); // the refused node disturbed nothing
  }

  @Test
  void removingARunningNodeAStrangerOrTheMajorityIsRefusedWithTheReason() throws Exception {
    cluster = new ClusterNodes(root, 3).startAll();
    HttpResponse<String> running = forget(0, "n2");
    assertEquals(400, running.statusCode());
    assertTrue(running.body().contains("node n2 is running"), running.body());
    HttpResponse<String> stranger = forget(0, "n9");
    assertEquals(404, stranger.statusCode());
    assertTrue(stranger.body().contains("not a node of the cluster"), stranger.body());
    MembershipException viaJava =
        assertThrows(MembershipException.class, () -> cluster.node(0).forgetClusterNode("n9"));
    assertEquals(MembershipException.Reason.NOT_A_MEMBER, viaJava.reason());

    cluster.stop(2);
    cluster.node(0).forgetClusterNode("n3");
    assertEquals(Set.of("n1", "n2"), cluster.node(0).clusterNodes());
    cluster.stop(1);
    HttpResponse<String> majority = forget(0, "n2");
    assertEquals(400, majority.statusCode());
    assertTrue(majority.body().contains("without a majority"), majority.body());
    assertEquals(Set.of("n1", "n2"), cluster.node(0).clusterNodes(), "nothing changed");
  }

  /** GET /api/nodes on node {@code i}: each node's name and whether it runs, in order. */
  private List<String> apiNodes(int i) throws Exception {
    List<String> nodes = new ArrayList<>();
    for (JsonNode n : new ObjectMapper().readTree(send(i, "", "GET").body())) {
      nodes.add(
          n.path("name").asText() + (n.path("running").asBoolean() ? " running" : " stopped"));
    }
    return nodes;
  }

  /** DELETE /api/nodes/{node} on node {@code i}'s management API, as guest (an administrator). */
  private HttpResponse<String> forget(int i, String node) throws Exception {
    return send(i, "/" + node, "DELETE");
  }

  /** {@code method} /api/nodes{@code path} on node {@code i}, as guest. */
  private HttpResponse<String> send(int i, String path, String method) throws Exception {
    String credentials =
        Base64.getEncoder().encodeToString("guest:guest".getBytes(StandardCharsets.UTF_8));
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:" + cluster.node(i).managementPort() + "/api/nodes" + path))
            .header("Authorization", "Basic " + credentials)
            .timeout(Duration.ofSeconds(90))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }
}
