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
 * list_channels: GET /api/channels. Channels and connections have no process ids in the API: pid is
 * the channel's name, connection its connection's name.
 */
@Command(
    name = "list_channels",
    description = "Lists all channels in the node",
    customSynopsis = "list_channels [--no-table-headers] [<column> ...]")
public final class ListChannels implements Callable<Integer> {
  static final InfoKeys KEYS =
      new InfoKeys(
          List.of(
              Column.at("pid", ValueKind.PLAIN, "name"),
              Column.at("connection", ValueKind.PLAIN, "connection_details", "name"),
              Column.of("name"),
              Column.of("number"),
              Column.of("user"),
              Column.of("vhost"),
              Column.of("transactional"),
              Column.of("confirm"),
              Column.of("consumer_count"),
              Column.of("messages_unacknowledged"),
              Column.of("messages_uncommitted"),
              Column.of("acks_uncommitted"),
              Column.of("messages_unconfirmed"),
              Column.of("prefetch_count"),
              Column.of("global_prefetch_count")),
          List.of("pid", "user", "consumer_count", "messages_unacknowledged"));

  @ParentCommand Warrenctl root;
  @Mixin ColumnArguments columns;

  @Override
  public Integer call() {
    List<Column> selected = columns.select(KEYS);
    Ctl ctl = root.ctl();
    return Lists.stream(
        ctl, "Listing channels ...", ApiPath.of("channels"), selected, columns.headers());
  }
}
