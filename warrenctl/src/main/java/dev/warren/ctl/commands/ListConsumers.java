package dev.warren.ctl.commands;

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
import picocli.CommandLine.ParentCommand;

/**
 * list_consumers: GET /api/consumers/{vhost}. As in rabbitmqctl, the columns asked for print in the
 * order below whatever order they were named in. channel_pid is the channel's name (channels have
 * no process id in the API).
 */
@Command(
    name = "list_consumers",
    description = "Lists all consumers for a vhost",
    customSynopsis =
        "list_consumers [--vhost <vhost>] [--no-table-headers] [<column> ...] [--timeout"
            + " <timeout>]")
public final class ListConsumers implements Callable<Integer> {
  static final InfoKeys KEYS =
      new InfoKeys(
          List.of(
              Column.at("queue_name", ValueKind.PLAIN, "queue", "name"),
              Column.at("channel_pid", ValueKind.PLAIN, "channel_details", "name"),
              Column.of("consumer_tag"),
              Column.of("ack_required"),
              Column.of("prefetch_count"),
              Column.of("active"),
              Column.of("activity_status"),
              Column.of("arguments", ValueKind.AMQP_TABLE)),
          List.of(
              "queue_name",
              "channel_pid",
              "consumer_tag",
              "ack_required",
              "prefetch_count",
              "active",
              "arguments"),
          true);

  @ParentCommand Warrenctl root;
  @Mixin ColumnArguments columns;

  @Override
  public Integer call() {
    List<Column> selected = columns.select(KEYS);
    Ctl ctl = root.ctl();
    String vhost = ctl.vhost();
    return Lists.stream(
        ctl,
        "Listing consumers in vhost " + vhost + " ...",
        ApiPath.of("consumers", vhost),
        selected,
        columns.headers());
  }
}
