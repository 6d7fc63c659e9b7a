package dev.warren.broker.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warren.broker.it.TestBroker;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The node as the management API shows it: its name, its AMQP and HTTP listeners, its memory and
 * disk against their limits, its exchange types. Runs against RabbitMQ too.
 */
class NodeOverHttpTest {
  private final ManagementHttp api = ManagementHttp.guest(TestBroker.managementAddress());

  @Test
  void overviewNamesTheNodeAndItsAmqpAndHttpListeners() {
    JsonNode overview = api.get("/api/overview").json();
    String node = overview.get("node").asText();
    assertTrue(node.contains("@"), "a node name as RabbitMQ's: " + node);
    // With no cluster name set, RabbitMQ names the cluster after the node (host name qualified).
    assertTrue(
        overview.get("cluster_name").asText().startsWith(node.substring(0, node.indexOf('@') + 1)),
        overview.get("cluster_name").asText());
    Set<String> listeners = new TreeSet<>();
    for (JsonNode l : overview.get("listeners")) {
      assertEquals(node, l.get("node").asText());
      listeners.add(l.get("protocol").asText() + ":" + l.get("port").asInt());
    }
    assertTrue(listeners.contains("amqp:" + TestBroker.address().getPort()), listeners.toString());
    assertTrue(
        listeners.contains("http:" + TestBroker.managementAddress().getPort()),
        listeners.toString());
    assertTrue(overview.get("object_totals").get("queues").isNumber());
    assertFalse(overview.get("product_version").asText().isEmpty());
  }

  @Test
  void aSingleNodeListsItselfAloneRunning() {
    String node = api.get("/api/overview").json().get("node").asText();
    JsonNode nodes = api.get("/api/nodes").json();
    assertEquals(1, nodes.size(), nodes.toString());
    assertEquals(node, nodes.get(0).get("name").asText());
    assertTrue(nodes.get(0).get("running").asBoolean());
    assertEquals("disc", nodes.get(0).get("type").asText());
    assertFalse(nodes.get(0).get("being_drained").asBoolean());
    assertEquals(404, api.get("/api/nodes/nobody@nowhere").status());
  }

  @Test
  void nodeShowsMemoryAndDiskAgainstTheirLimitsAndNoAlarm() {
    JsonNode overview = api.get("/api/overview").json();
    JsonNode node = api.get("/api/nodes/" + overview.get("node").asText()).json();
    assertTrue(node.get("mem_used").asLong() > 0, "memory in use");
    assertTrue(node.get("mem_limit").asLong() > node.get("mem_used").asLong());
    assertFalse(node.get("mem_alarm").asBoolean());
    assertTrue(node.get("disk_free").asLong() > node.get("disk_free_limit").asLong());
    assertFalse(node.get("disk_free_alarm").asBoolean());
    assertTrue(node.get("fd_used").asLong() > 0);
    assertTrue(node.get("fd_total").asLong() >= node.get("fd_used").asLong());
    assertTrue(node.get("processors").asInt() > 0);
    assertTrue(
        StreamSupport.stream(node.get("exchange_types").spliterator(), false)
            .anyMatch(t -> t.get("name").asText().equals("topic")));
    assertEquals(200, api.get("/api/health/checks/alarms").status());
  }
}
