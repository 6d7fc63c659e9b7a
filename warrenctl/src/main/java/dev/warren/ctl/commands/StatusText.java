package dev.warren.ctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warren.ctl.ErlangTerms;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * status in the table format: rabbitmqctl's sections (Runtime, Plugins, Data directory, Config
 * files, Log file(s), Alarms, Memory, File Descriptors, Free Disk Space, Totals, Listeners) in its
 * order and wording, without the bold section titles. A line whose value the API does not report is
 * left out (the OS name, the crypto library, the maintenance flag, the enabled plugins file and the
 * Raft data directory always are; Warren does not report Erlang's process counts either).
 */
final class StatusText {
  private final JsonNode overview;
  private final JsonNode node;
  private final int vhosts;
  private final String unit;
  private final double divisor;
  private final StringWriter text = new StringWriter();
  private final PrintWriter out = new PrintWriter(text);

  StatusText(JsonNode overview, JsonNode node, int vhosts, String unit, double divisor) {
    this.overview = overview;
    this.node = node;
    this.vhosts = vhosts;
    this.unit = unit;
    this.divisor = divisor;
  }

  String render() {
    out.println("Runtime");
    out.println();
    line("OS PID: ", node.path("os_pid"));
    out.println("Uptime (seconds): " + node.path("uptime").asLong() / 1000);
    line("RabbitMQ version: ", overview.path("rabbitmq_version"));
    line(
        "RabbitMQ release series support status: ", overview.path("release_series_support_status"));
    line("Node name: ", node.path("name"));
    line("Erlang configuration: ", overview.path("erlang_full_version"));
    if (Status.reported(node.path("proc_used"))) {
      out.println(
          "Erlang processes: "
              + node.path("proc_used").asText()
              + " used, "
              + node.path("proc_total").asText()
              + " limit");
    }
    line("Scheduler run queue: ", node.path("run_queue"));
    line("Cluster heartbeat timeout (net_ticktime): ", node.path("net_ticktime"));
    section("Plugins");
    out.println("Enabled plugins:");
    out.println();
    node.path("enabled_plugins").forEach(p -> out.println(" * " + p.asText()));
    section("Data directory");
    line("Node data directory: ", node.path("db_dir"));
    section("Config files");
    node.path("config_files").forEach(f -> out.println(" * " + f.asText()));
    section("Log file(s)");
    node.path("log_files").forEach(f -> out.println(" * " + f.asText()));
    section("Alarms");
    List<String> alarms = StatusJson.alarms(node);
    if (alarms.isEmpty()) {
      out.println("(none)");
    }
    alarms.forEach(out::println);
    memory();
    section("File Descriptors");
    if (Status.reported(node.path("fd_used"))) {
      out.println(
          "Total: " + node.path("fd_used").asText() + ", limit: " + node.path("fd_total").asText());
    }
    if (Status.reported(node.path("sockets_used"))) {
      out.println(
          "Sockets: "
              + node.path("sockets_used").asText()
              + ", limit: "
              + node.path("sockets_total").asText());
    }
    section("Free Disk Space");
    out.println("Low free disk space watermark: " + amount(node.path("disk_free_limit").asLong()));
    out.println("Free disk space: " + amount(node.path("disk_free").asLong()));
    section("Totals");
    JsonNode totals = overview.path("object_totals");
    out.println("Connection count: " + totals.path("connections").asText());
    out.println("Queue count: " + totals.path("queues").asText());
    out.println("Virtual host count: " + vhosts);
    section("Listeners");
    for (JsonNode l : StatusJson.listeners(overview, node.path("name").asText())) {
      out.println(
          "Interface: "
              + l.path("interface").asText()
              + ", port: "
              + l.path("port").asText()
              + ", protocol: "
              + l.path("protocol").asText()
              + ", purpose: "
              + l.path("purpose").asText());
    }
    out.flush();
    return text.toString();
  }

  /**
   * The total, the watermark, then each part largest first (equal parts by name) with its share of
   * the total.
   */
  private void memory() {
    section("Memory");
    JsonNode memory = node.path("memory");
    String strategy =
        node.path("mem_calculation_strategy").asText(memory.path("strategy").asText(""));
    long total = memory.path("total").path(strategy).asLong(node.path("mem_used").asLong());
    out.println("Total memory used: " + amount(total));
    if (!strategy.isEmpty()) {
      out.println("Calculation strategy: " + strategy);
    }
    out.println(
        "Memory high watermark setting: computed to: " + amount(node.path("mem_limit").asLong()));
    List<Map.Entry<String, Long>> parts = new ArrayList<>();
    memory
        .properties()
        .forEach(
            e -> {
              if (e.getValue().isIntegralNumber()) {
                parts.add(Map.entry(e.getKey(), e.getValue().asLong()));
              }
            });
    if (parts.isEmpty()) {
      return;
    }
    out.println();
    parts.sort(
        Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
            .thenComparing(Map.Entry.comparingByKey()));
    for (Map.Entry<String, Long> part : parts) {
      double percent = total == 0 ? 0 : Math.round(part.getValue() * 10000.0 / total) / 100.0;
      out.println(
          part.getKey()
              + ": "
              + amount(part.getValue())
              + " ("
              + ErlangTerms.floatText(percent)
              + " %)");
    }
  }

  private void line(String label, JsonNode value) {
    if (Status.reported(value)) {
      out.println(label + value.asText());
    }
  }

  private void section(String title) {
    out.println();
    out.println(title);
    out.println();
  }

  /** Bytes in the unit asked for, rounded to four decimals (rabbitmqctl: "0.1319 gb"). */
  private String amount(long bytes) {
    if (divisor == 1) {
      return bytes + " bytes";
    }
    return ErlangTerms.floatText(Math.round(bytes / divisor * 10000) / 10000.0) + " " + unit;
  }
}
