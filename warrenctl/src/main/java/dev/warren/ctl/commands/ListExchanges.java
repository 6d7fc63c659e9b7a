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

/** list_exchanges: GET /api/exchanges/{vhost}. */
@Command(
    name = "list_exchanges",
    description = "Lists exchanges",
    customSynopsis =
        "list_exchanges [--vhost <vhost>] [--no-table-headers] [<column> ...] [--timeout <timeout>]")
public final class ListExchanges implements Callable<Integer> {
  static final InfoKeys KEYS =
      new InfoKeys(
          List.of(
              Column.of("name"),
              Column.of("type"),
              Column.of("durable"),
              Column.of("auto_delete"),
              Column.of("internal"),
              Column.of("arguments", ValueKind.AMQP_TABLE),
              Column.of("policy")),
          List.of("name", "type"));

  @ParentCommand Warrenctl root;
  @Mixin ColumnArguments columns;

  @Override
  public Integer call() {
    List<Column> selected = columns.select(KEYS);
    Ctl ctl = root.ctl();
    String vhost = ctl.vhost();
    return Lists.stream(
        ctl,
        "Listing exchanges for vhost " + vhost + " ...",
        ApiPath.of("exchanges", vhost),
        selected,
        columns.headers());
  }
}
