package dev.warren.ctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warren.ctl.ApiPath;
import dev.warren.ctl.Column;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.ValueKind;
import dev.warren.ctl.Warrenctl;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * list_vhost_limits: GET /api/vhost-limits/{vhost}, the limits as compact JSON (an empty line when
 * there are none); with --global, a table of every virtual host's limits.
 */
@Command(
    name = "list_vhost_limits",
    description = "Displays configured virtual host limits",
    customSynopsis = "list_vhost_limits [--vhost <vhost>] [--global] [--no-table-headers]")
public final class ListVhostLimits implements Callable<Integer> {
  static final List<Column> GLOBAL_COLUMNS =
      List.of(Column.of("vhost"), Column.at("limits", ValueKind.JSON_TEXT, "value"));

  @ParentCommand Warrenctl root;
  @Mixin TableOptions table;

  @Option(names = "--global", description = "list global limits")
  boolean global;

  @Override
  public Integer call() {
    Ctl ctl = root.ctl();
    if (global) {
      ctl.out().banner("Listing limits for all vhosts ...");
      ctl.out()
          .table(
              GLOBAL_COLUMNS, Lists.fetch(ctl, ApiPath.of("vhost-limits")), table.headers(), false);
      return 0;
    }
    ctl.out().banner("Listing limits for vhost \"" + ctl.vhost() + "\" ...");
    List<JsonNode> rows = Lists.inVhost(ctl, ApiPath.of("vhost-limits", ctl.vhost()), ctl.vhost());
    if (rows.isEmpty()) {
      ctl.out().line("");
      return 0;
    }
    ctl.out().okValue(ValueKind.JSON_TEXT.cellText(rows.get(0).path("value")));
    return 0;
  }
}
