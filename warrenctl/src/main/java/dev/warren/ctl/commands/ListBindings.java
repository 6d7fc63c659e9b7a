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

/** list_bindings: GET /api/bindings/{vhost}. Every binding's source is an exchange. */
@Command(
    name = "list_bindings",
    description = "Lists all bindings on a vhost",
    customSynopsis =
        "list_bindings [--vhost <vhost>] [--no-table-headers] [<column> ...] [--timeout <timeout>]")
public final class ListBindings implements Callable<Integer> {
  static final InfoKeys KEYS =
      new InfoKeys(
          List.of(
              Column.at("source_name", ValueKind.PLAIN, "source"),
              Column.constant("source_kind", "exchange"),
              Column.at("destination_name", ValueKind.PLAIN, "destination"),
              Column.at("destination_kind", ValueKind.PLAIN, "destination_type"),
              Column.of("routing_key"),
              Column.of("arguments", ValueKind.AMQP_TABLE)),
          List.of(
              "source_name",
              "source_kind",
              "destination_name",
              "destination_kind",
              "routing_key",
              "arguments"));

  @ParentCommand Warrenctl root;
  @Mixin ColumnArguments columns;

  @Override
  public Integer call() {
    List<Column> selected = columns.select(KEYS);
    Ctl ctl = root.ctl();
    String vhost = ctl.vhost();
    return Lists.stream(
        ctl,
        "Listing bindings for vhost " + vhost + "...",
        ApiPath.of("bindings", vhost),
        selected,
        columns.headers());
  }
}
