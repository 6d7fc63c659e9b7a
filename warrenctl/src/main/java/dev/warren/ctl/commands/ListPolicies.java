package dev.warren.ctl.commands;

import dev.warren.ctl.ApiPath;
import dev.warren.ctl.Column;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.ValueKind;
import dev.warren.ctl.Warrenctl;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** list_policies: GET /api/policies/{vhost}; the definition as compact JSON, keys sorted. */
@Command(
    name = "list_policies",
    description = "Lists all policies in a virtual host",
    customSynopsis = "list_policies [--vhost <vhost>] [--no-table-headers] [--timeout <timeout>]")
public final class ListPolicies implements Callable<Integer> {
  static final List<Column> COLUMNS =
      List.of(
          Column.of("vhost"),
          Column.of("name"),
          Column.of("pattern"),
          Column.of("apply-to"),
          Column.of("definition", ValueKind.JSON_TEXT),
          Column.of("priority"));

  @ParentCommand Warrenctl root;
  @Mixin TableOptions table;

  @Override
  public Integer call() {
    Ctl ctl = root.ctl();
    ctl.out().banner("Listing policies for vhost \"" + ctl.vhost() + "\" ...");
    ctl.out()
        .table(
            COLUMNS,
            Lists.inVhost(ctl, ApiPath.of("policies", ctl.vhost()), ctl.vhost()),
            table.headers(),
            false);
    return 0;
  }
}
