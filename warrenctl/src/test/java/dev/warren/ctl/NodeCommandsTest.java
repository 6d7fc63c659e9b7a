package dev.warren.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * status and await_startup. The in-memory node reports 1 MiB of memory in use, a 1 GiB watermark, 1
 * TiB of free disk and a 50 MB free disk limit, and listeners for AMQP (5672) and HTTP (15672).
 */
class NodeCommandsTest extends CtlTestSupport {
  @Test
  void statusPrintsRabbitmqctlsSectionsInItsOrder() {
    Run status = ctl("status");

    assertEquals(0, status.exitCode());
    assertTrue(
        status.out().startsWith(lines("Status of node warren@localhost ...", "Runtime", "")),
        status.out());
    int at = 0;
    for (String title :
        List.of(
            "Plugins",
            "Data directory",
            "Config files",
            "Log file(s)",
            "Alarms",
            "Memory",
            "File Descriptors",
            "Free Disk Space",
            "Totals",
            "Listeners")) {
      int next = status.out().indexOf("\n\n" + title + "\n\n", at);
      assertTrue(next > at, title + " after the section before it in " + status.out());
      at = next;
    }
  }

  @Test
  void statusShowsWhatTheApiReportsInRabbitmqctlsWordsAndUnits() {
    declareTopology();
    openConnection();

    String out = ctl("status").out();

    assertContains("\nRabbitMQ version: 3.10.8\n", out);
    assertContains("\nNode name: warren@localhost\n", out);
    assertContains("\nEnabled plugins:\n\n * rabbitmq_management\n", out);
    assertContains("\nAlarms\n\n(none)\n", out);
    assertContains(
        "\nTotal memory used: 0.001 gb\nMemory high watermark setting: computed to: 1.0737 gb\n",
        out);
    assertContains(
        "\nLow free disk space watermark: 0.05 gb\nFree disk space: 1099.5116 gb\n", out);
    assertContains("\nConnection count: 1\nQueue count: 2\nVirtual host count: 1\n", out);
    assertContains(
        "\nInterface: 127.0.0.1, port: 15672, protocol: http, purpose: HTTP API\n"
            + "Interface: 127.0.0.1, port: 5672, protocol: amqp, purpose: AMQP 0-9-1 and AMQP 1.0\n",
        out);
  }

  @Test
  void statusLeavesOutLinesTheApiDoesNotReport() {
    String out = ctl("status").out();

    // The in-memory node reports no process counts, no descriptor counts (-1) and no data
    // directory: rabbitmqctl's lines for them would have nothing to show.
    assertFalse(out.contains("Erlang processes:"), out);
    assertFalse(out.contains("Total: "), out);
    assertFalse(out.contains("Sockets:"), out);
    assertFalse(out.contains("Node data directory:"), out);
  }

  @Test
  void statusUnitOptionScalesEveryAmount() {
    String out = ctl("status", "--unit", "mb").out();

    assertContains("\nFree disk space: 1099511.6278 mb\n", out);
    assertContains("\nTotal memory used: 1.0486 mb\n", out);
  }

  @Test
  void statusInJsonIsOneObjectWithRabbitmqctlsKeysSortedAndNoNulls() throws IOException {
    Run status = ctl("status", "--formatter", "json");

    JsonNode json = ManagementApi.JSON.readTree(status.out());
    List<String> keys = new ArrayList<>();
    json.fieldNames().forEachRemaining(keys::add);
    assertEquals(keys.stream().sorted().toList(), keys);
    assertTrue(keys.containsAll(List.of("alarms", "listeners", "rabbitmq_version", "totals")));
    assertEquals("3.10.8", json.path("rabbitmq_version").asText());
    assertEquals(
        "{\"virtual_host_count\":1,\"connection_count\":0,\"queue_count\":0}",
        json.path("totals").toString());
    assertFalse(status.out().contains("null"), status.out());
    assertTrue(status.out().endsWith("}\n"), status.out());
  }

  @Test
  void awaitStartupReturnsOnceTheApiAnswersPrintingNothingButInJson() {
    Run await = ctl("await_startup");

    assertEquals(0, await.exitCode());
    assertEquals("", await.out());
    assertEquals(
        lines("{\"node\":\"warren@localhost\",\"result\":\"ok\"}"),
        ctl("await_startup", "--formatter", "json").out());
  }

  @Test
  void awaitStartupGivesUpAfterItsTimeoutWithStatus69() {
    String url = stopApiNow();

    long start = System.nanoTime();
    Run await = run(Map.of("WARRENCTL_URL", url), "", "-t", "1", "await_startup");
    long tookMillis = (System.nanoTime() - start) / 1_000_000;

    assertEquals(69, await.exitCode());
    assertTrue(
        await.err().startsWith("Error: unable to perform an operation on node"), await.err());
    assertTrue(tookMillis >= 1000, "gave up after " + tookMillis + " ms");
  }
}
