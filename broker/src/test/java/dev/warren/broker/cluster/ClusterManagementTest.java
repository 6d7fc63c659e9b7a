package dev.warren.broker.cluster;

import static dev.warren.broker.cluster.QuorumMessages.QUORUM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import dev.warren.broker.it.Poll;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The cluster as the management API shows it (issue 17, "Visible"): {@code /api/nodes} lists every
 * node with {@code running} as it is, and a quorum queue's {@code leader}, {@code members} and
 * {@code online} are the same on every live node and follow a stopped node and a new leader. Three
 * brokers in this JVM on loopback ({@link ClusterNodes}), asked over real HTTP.
 */
class ClusterManagementTest extends ClusterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A stopped node shows stopped within a few seconds; an election takes a few more. */
  private static final Duration SEEN = Duration.ofSeconds(20);

  private static final String QUEUE = "orders";
  private static final Set<String> ALL = Set.of("n1", "n2", "n3");

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @Test
  void aStoppedNodeShowsNotRunningAndLeavesTheQueuesOnlineMembersButNotItsMembers()
      throws Exception {
    cluster = new ClusterNodes(root, 3).startAll();
    for (int i = 0; i < 3; i++) {
      int node = i;
      Poll.until(
          SEEN,
          () -> running(node).equals(Map.of("n1", true, "n2", true, "n3", true)),
          "n" + (node + 1) + " to list the three nodes running");
    }
    int leader = declareQuorumQueue();
    for (int i = 0; i < 3; i++) {
      int node = i;
      Poll.until(
          SEEN,
          () -> replicas(node).equals(new Replicas("n" + (leader + 1), ALL, ALL)),
          "n" + (node + 1) + " to show the queue led by n" + (leader + 1) + ", all members online");
    }
    JsonNode q = queue(0);
    assertEquals("quorum", q.path("type").asText());
    assertEquals(q.path("leader").asText(), q.path("node").asText(), "node is the leader");

    int follower = (leader + 1) % 3;
    String stopped = "n" + (follower + 1);
    cluster.stop(follower);
    for (int i = 0; i < 3; i++) {
      if (i == follower) {
        continue;
      }
      int node = i;
      Poll.until(
          SEEN,
          () -> {
            Map<String, Boolean> running = running(node);
            Replicas r = replicas(node);
            return running.size() == 3
                && !running.get(stopped)
                && running.values().stream().filter(b -> b).count() == 2
                && r.members().equals(ALL)
                && !r.online().contains(stopped)
                && r.online().size() == 2;
          },
          "n" + (node + 1) + " to show " + stopped + " stopped, a member no longer online");
      JsonNode one = get(node, "/api/nodes/" + stopped);
      assertEquals(stopped, one.path("name").asText());
      assertEquals(false, one.path("running").asBoolean(true));
      assertEquals("disc", one.path("type").asText());
    }
  }

  /**
   * A node names itself by its node name everywhere (the overview, a firehose copy's {@code node}
   * header), and every node names the cluster alike (the first node of the peer list).
   */
  @Test
  void eachNodeNamesItselfByItsNodeNameAndTheClusterByOneName() throws Exception {
    cluster = new ClusterNodes(root, 3).startAll();
    for (int i = 0; i < 3; i++) {
      Connection c = cluster.connect(i);
      assertEquals("n1", c.getServerProperties().get("cluster_name").toString(), "on n" + (i + 1));
      assertEquals("n" + (i + 1), get(i, "/api/overview").path("node").asText());
    }
    Channel ch = cluster.connect(1).createChannel();
    ch.queueDeclare("traced", false, false, false, null);
    ch.queueDeclare("trace", false, false, false, null);
    ch.queueBind("trace", "amq.rabbitmq.trace", "publish.#");
    assertEquals(204, put(1, "/api/vhosts/%2F", "{\"tracing\":true}"));
    Poll.until(
        Duration.ofSeconds(10),
        () -> get(1, "/api/vhosts/%2F").path("tracing").asBoolean(),
        "tracing on in n2's vhost");
    ch.basicPublish("", "traced", null, "hello".getBytes(StandardCharsets.UTF_8));
    GetResponse[] copy = new GetResponse[1];
    Poll.until(
        Duration.ofSeconds(10), () -> (copy[0] = ch.basicGet("trace", true)) != null, "a copy");
    assertEquals("n2", copy[0].getProps().getHeaders().get("node").toString());
  }

  @Test
  void afterItsLeaderStopsTheQueueIsLedByAnOnlineNodeAndBothLiveNodesSayTheSame() throws Exception {
    cluster = new ClusterNodes(root, 3).startAll();
    int leader = declareQuorumQueue();
    String old = "n" + (leader + 1);
    cluster.stop(leader);
    int a = (leader + 1) % 3;
    int b = (leader + 2) % 3;
    Replicas[] seen = new Replicas[2];
    Poll.until(
        SEEN,
        () -> {
          seen[0] = replicas(a);
          seen[1] = replicas(b);
          return seen[0].equals(seen[1])
              && seen[0].leader() != null
              && !seen[0].online().contains(old)
              && seen[0].online().size() == 2;
        },
        "both live nodes to agree on the queue's new leader and online members");
    Replicas now = seen[0];
    assertNotEquals(old, now.leader(), "a new leader");
    assertTrue(now.online().contains(now.leader()), "the leader is online: " + now);
    assertEquals(ALL, now.members(), "the stopped leader is still a member");
    assertEquals(now.leader(), queue(a).path("node").asText());
  }

  /**
   * Declares the quorum queue on its group's leader and returns that node's index. A declare that
   * meets an election (a leader moving to its preferred node, or a node stalled on a busy machine)
   * is refused with 404 after the commit timeout: it is tried again, as a client would.
   */
  private int declareQuorumQueue() {
    int[] leader = {-1};
    Poll.until(
        SEEN,
        () -> {
          leader[0] = cluster.awaitQueueLeader(QUEUE, -1);
          try {
            cluster
                .connect(leader[0])
                .createChannel()
                .queueDeclare(QUEUE, true, false, false, QUORUM);
            return true;
          } catch (IOException e) {
            return false;
          }
        },
        "the quorum queue declared on its group's leader");
    return leader[0];
  }

  /** A quorum queue's replicas as one node's API shows them. */
  private record Replicas(String leader, Set<String> members, Set<String> online) {}

  private Replicas replicas(int node) {
    JsonNode q = queue(node);
    String leader = q.path("leader").asText("");
    return new Replicas(
        leader.isEmpty() ? null : leader, names(q.path("members")), names(q.path("online")));
  }

  private static Set<String> names(JsonNode array) {
    Set<String> names = new TreeSet<>();
    array.forEach(n -> names.add(n.asText()));
    return names;
  }

  private JsonNode queue(int node) {
    return get(node, "/api/queues/%2F/" + QUEUE);
  }

  /** Each node {@code /api/nodes} of node {@code node} lists, and whether it runs. */
  private Map<String, Boolean> running(int node) {
    Map<String, Boolean> running = new TreeMap<>();
    for (JsonNode n : get(node, "/api/nodes")) {
      running.put(n.path("name").asText(), n.path("running").asBoolean());
    }
    return running;
  }

  /** PUT {@code body} (JSON) to {@code path} of node {@code node}'s API, as guest; the status. */
  private int put(int node, String path, String body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + cluster.node(node).managementPort() + path))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Basic " + guest())
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  private static String guest() {
    return Base64.getEncoder().encodeToString("guest:guest".getBytes(StandardCharsets.UTF_8));
  }

  /** The answer's JSON; a missing node when the status is not 200. */
  private JsonNode get(int node, String path) {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + cluster.node(node).managementPort() + path))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Basic " + guest())
            .GET()
            .build();
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      // Not there yet (a definition not applied on this node): what the polls wait past.
      return r.statusCode() == 200 ? JSON.readTree(r.body()) : JSON.missingNode();
    } catch (IOException e) {
      throw new UncheckedIOException(path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
