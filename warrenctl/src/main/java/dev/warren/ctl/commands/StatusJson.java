package dev.warren.ctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warren.ctl.ManagementApi;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * status in the JSON format: rabbitmqctl's object (keys sorted, the totals in rabbitmqctl's order)
 * with the fields the API reports; a field it does not report is left out rather than written as
 * null.
 */
final class StatusJson {
  private StatusJson() {}

  static JsonNode of(JsonNode overview, JsonNode node, int vhosts) {
    Map<String, JsonNode> fields = new TreeMap<>();
    ArrayNode alarms = ManagementApi.JSON.createArrayNode();
    alarms(node).forEach(alarms::add);
    fields.put("alarms", alarms);
    fields.put("active_plugins", node.path("enabled_plugins"));
    fields.put("config_files", node.path("config_files"));
    fields.put("data_directory", node.path("db_dir"));
    fields.put("disk_free", node.path("disk_free"));
    fields.put("disk_free_limit", node.path("disk_free_limit"));
    fields.put("erlang_version", overview.path("erlang_full_version"));
    fields.put(
        "file_descriptors",
        object(
            "sockets_limit", node.path("sockets_total"),
            "sockets_used", node.path("sockets_used"),
            "total_limit", node.path("fd_total"),
            "total_used", node.path("fd_used")));
    ArrayNode listeners = ManagementApi.JSON.createArrayNode();
    listeners(overview, node.path("name").asText()).forEach(listeners::add);
    fields.put("listeners", listeners);
    fields.put("log_files", node.path("log_files"));
    ObjectNode memory = ManagementApi.JSON.createObjectNode();
    fieldsOf(node.path("memory")).forEach(memory::set);
    fields.put("memory", memory);
    fields.put("net_ticktime", node.path("net_ticktime"));
    fields.put("pid", number(node.path("os_pid").asLong()));
    fields.put(
        "processes", object("limit", node.path("proc_total"), "used", node.path("proc_used")));
    fields.put("rabbitmq_version", overview.path("rabbitmq_version"));
    fields.put("run_queue", node.path("run_queue"));
    JsonNode totals = overview.path("object_totals");
    fields.put(
        "totals",
        object(
            "virtual_host_count", number(vhosts),
            "connection_count", totals.path("connections"),
            "queue_count", totals.path("queues")));
    fields.put("uptime", number(node.path("uptime").asLong() / 1000));
    fields.put("vm_memory_calculation_strategy", node.path("mem_calculation_strategy"));
    fields.put("vm_memory_high_watermark_limit", node.path("mem_limit"));
    ObjectNode status = ManagementApi.JSON.createObjectNode();
    fields.forEach((k, v) -> setReported(status, k, v));
    return status;
  }

  /** An object's fields, sorted by name. */
  private static Map<String, JsonNode> fieldsOf(JsonNode object) {
    Map<String, JsonNode> fields = new TreeMap<>();
    object.properties().forEach(e -> fields.put(e.getKey(), e.getValue()));
    return fields;
  }

  /** The alarms in force, as rabbitmqctl words them. */
  static List<String> alarms(JsonNode node) {
    List<String> alarms = new ArrayList<>();
    if (node.path("disk_free_alarm").asBoolean()) {
      alarms.add("Free disk space alarm on node " + node.path("name").asText());
    }
    if (node.path("mem_alarm").asBoolean()) {
      alarms.add("Memory alarm on node " + node.path("name").asText());
    }
    return alarms;
  }

  /**
   * The node's listeners as rabbitmqctl shows them, in its order (the API's reversed): IPv6
   * interfaces in brackets, each with its purpose.
   */
  static List<ObjectNode> listeners(JsonNode overview, String nodeName) {
    List<ObjectNode> listeners = new ArrayList<>();
    for (JsonNode l : overview.path("listeners")) {
      if (!nodeName.equals(l.path("node").asText(nodeName))) {
        continue;
      }
      String ip = l.path("ip_address").asText();
      ObjectNode row = ManagementApi.JSON.createObjectNode();
      row.put("interface", ip.contains(":") ? "[" + ip + "]" : ip);
      row.put("node", nodeName);
      row.set("port", l.path("port"));
      row.put("protocol", l.path("protocol").asText());
      row.put("purpose", Status.purpose(l.path("protocol").asText()));
      listeners.add(0, row);
    }
    return listeners;
  }

  /** An object of the fields the API reported, in the order given (name, value, name, ...). */
  private static ObjectNode object(Object... namesAndValues) {
    ObjectNode result = ManagementApi.JSON.createObjectNode();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      setReported(result, (String) namesAndValues[i], (JsonNode) namesAndValues[i + 1]);
    }
    return result;
  }

  private static void setReported(ObjectNode object, String name, JsonNode value) {
    if (Status.reported(value)) {
      object.set(name, value);
    }
  }

  private static JsonNode number(long value) {
    return ManagementApi.JSON.getNodeFactory().numberNode(value);
  }
}
