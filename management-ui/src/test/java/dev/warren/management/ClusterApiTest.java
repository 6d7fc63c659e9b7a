package dev.warren.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warren.management.spi.ClusterNode;
import dev.warren.management.spi.QueueReplicas;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cluster as RabbitMQ 3.10's API shows it: every node in {@code /api/nodes} by name (another
 * node with what RabbitMQ shows of a node it has no figures of), and a quorum queue's {@code
 * leader}, {@code members}, {@code online}, with {@code node} its leader.
 */
class ClusterApiTest extends ApiTestSupport {
  private static final String SELF = InMemoryBackend.NODE;

  @Test
  void nodesListsEveryNodeByNameAndTheOthersWithRunningAsTold() throws Exception {
    backend.cluster(
        List.of(new ClusterNode("zed@c", false), new ClusterNode("alpha@a", true)),
        QueueReplicas.single(SELF));
    JsonNode nodes = get("/api/nodes").json();
    assertEquals(List.of("alpha@a", SELF, "zed@c"), names(nodes, "name"));
    JsonNode stopped = get("/api/nodes/zed@c").json();
    assertEquals("zed@c", stopped.get("name").asText());
    assertEquals("disc", stopped.get("type").asText());
    assertFalse(stopped.get("running").asBoolean());
    assertFalse(stopped.get("being_drained").asBoolean());
    assertTrue(get("/api/nodes/alpha@a").json().get("running").asBoolean());
    JsonNode self = get("/api/nodes/" + SELF).json();
    assertTrue(self.get("running").asBoolean());
    assertTrue(self.has("uptime"), "this node's figures");
    assertEquals(404, get("/api/nodes/nobody@nowhere").status());
  }

  @Test
  void aQuorumQueueShowsItsLeaderMembersAndOnlineMembersAndAClassicQueueNone() throws Exception {
    backend.cluster(
        List.of(new ClusterNode("n2", true), new ClusterNode("n3", false)),
        new QueueReplicas("n2", List.of("n2", "n3", SELF), List.of("n2", SELF)));
    put("/api/queues/%2F/qq", "{\"durable\":true,\"arguments\":{\"x-queue-type\":\"quorum\"}}");
    put("/api/queues/%2F/cq", "{\"durable\":true}");
    JsonNode qq = get("/api/queues/%2F/qq").json();
    assertEquals("quorum", qq.get("type").asText());
    assertEquals("n2", qq.get("leader").asText());
    assertEquals("n2", qq.get("node").asText(), "a quorum queue's node is its leader");
    assertEquals(List.of("n2", "n3", SELF), names(qq.get("members"), null));
    assertEquals(List.of("n2", SELF), names(qq.get("online"), null));
    JsonNode cq = get("/api/queues/%2F/cq").json();
    assertNull(cq.get("leader"));
    assertNull(cq.get("members"));
    assertEquals(SELF, cq.get("node").asText());
    JsonNode listed = get("/api/queues/%2F?columns=name,leader,online").json();
    assertEquals("n2", listed.get(1).get("leader").asText(), "qq, after cq by name");
  }

  @Test
  void aQuorumQueueWhoseLeaderIsNotKnownShowsAnEmptyLeaderOnThisNode() throws Exception {
    backend.cluster(
        List.of(new ClusterNode("n2", false)),
        new QueueReplicas(null, List.of("n2", SELF), List.of(SELF)));
    put("/api/queues/%2F/qq", "{\"durable\":true,\"arguments\":{\"x-queue-type\":\"quorum\"}}");
    JsonNode qq = get("/api/queues/%2F/qq").json();
    assertEquals("", qq.get("leader").asText());
    assertEquals(SELF, qq.get("node").asText());
  }

  private static List<String> names(JsonNode array, String field) {
    List<String> names = new ArrayList<>();
    array.forEach(n -> names.add(field == null ? n.asText() : n.get(field).asText()));
    return names;
  }
}
