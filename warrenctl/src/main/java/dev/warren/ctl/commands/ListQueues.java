package dev.warren.ctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warren.ctl.ApiPath;
import dev.warren.ctl.Column;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.InfoKeys;
import dev.warren.ctl.ValueKind;
import dev.warren.ctl.Warrenctl;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * list_queues: GET /api/queues/{vhost}. Queue processes have no id in the API: pid,
 * exclusive_consumer_pid, slave_pids and synchronised_slave_pids are empty, and owner_pid is the
 * name of the owning connection.
 */
@Command(
    name = "list_queues",
    description = "Lists queues and their properties",
    customSynopsis =
        "list_queues [--vhost <vhost>] [--online] [--offline] [--local] [--no-table-headers]"
            + " [<column>, ...] [--timeout <timeout>]")
public final class ListQueues implements Callable<Integer> {
  static final InfoKeys KEYS =
      new InfoKeys(
          List.of(
              Column.of("name"),
              Column.of("durable"),
              Column.of("auto_delete"),
              Column.of("arguments", ValueKind.AMQP_TABLE),
              Column.of("policy"),
              Column.empty("pid"),
              Column.at("owner_pid", ValueKind.PLAIN, "owner_pid_details", "name"),
              Column.of("exclusive"),
              Column.empty("exclusive_consumer_pid"),
              Column.of("exclusive_consumer_tag"),
              Column.of("messages_ready"),
              Column.of("messages_unacknowledged"),
              Column.of("messages"),
              Column.of("messages_ready_ram"),
              Column.of("messages_unacknowledged_ram"),
              Column.of("messages_ram"),
              Column.of("messages_persistent"),
              Column.of("message_bytes"),
              Column.of("message_bytes_ready"),
              Column.of("message_bytes_unacknowledged"),
              Column.of("message_bytes_ram"),
              Column.of("message_bytes_persistent"),
              Column.of("head_message_timestamp"),
              Column.of("disk_reads"),
              Column.of("disk_writes"),
              Column.of("consumers"),
              Column.of("consumer_utilisation"),
              Column.of("consumer_capacity"),
              Column.of("memory"),
              Column.empty("slave_pids"),
              Column.empty("synchronised_slave_pids"),
              Column.of("state"),
              Column.of("type"),
              Column.of("leader"),
              Column.of("members"),
              Column.of("online")),
          List.of("name", "messages"));

  @ParentCommand Warrenctl root;
  @Mixin ColumnArguments columns;

  @Option(names = "--online", description = "lists only queues on online (reachable) nodes")
  boolean online;

  @Option(names = "--offline", description = "lists only queues on offline (unreachable) nodes")
  boolean offline;

  @Option(names = "--local", description = "only return queues hosted on the target node")
  boolean local;

  @Override
  public Integer call() {
    List<Column> selected = columns.select(KEYS);
    Ctl ctl = root.ctl();
    ctl.out().banner(Lists.timeoutBanner(ctl, 60));
    ctl.out().banner("Listing queues for vhost " + ctl.vhost() + " ...");
    List<JsonNode> queues =
        Lists.fetch(ctl, ApiPath.of("queues", ctl.vhost())).stream()
            .filter(q -> !online || !"down".equals(q.path("state").asText()))
            .filter(q -> !offline || "down".equals(q.path("state").asText()))
            .filter(q -> !local || ctl.node().equals(q.path("node").asText()))
            .toList();
    ctl.out().table(selected, queues, columns.headers(), true);
    return 0;
  }
}
