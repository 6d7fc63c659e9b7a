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

/** list_vhosts: GET /api/vhosts. */
@Command(
    name = "list_vhosts",
    description = "Lists virtual hosts",
    customSynopsis = "list_vhosts [--no-table-headers] [<column> ...] [--timeout <timeout>]")
public final class ListVhosts implements Callable<Integer> {
  static final InfoKeys KEYS =
      new InfoKeys(
          List.of(
              Column.of("name"),
              Column.of("description"),
              Column.of("tags"),
              Column.of("default_queue_type"),
              Column.of("tracing"),
              Column.of("cluster_state", ValueKind.NODE_STATES)),
          List.of("name"));

  @ParentCommand Warrenctl root;
  @Mixin ColumnArguments columns;

  @Override
  public Integer call() {
    List<Column> selected = columns.select(KEYS);
    Ctl ctl = root.ctl();
    return Lists.stream(
        ctl, "Listing vhosts ...", ApiPath.of("vhosts"), selected, columns.headers());
  }
}
