package dev.warren.ctl.commands;

import dev.warren.ctl.ApiPath;
import dev.warren.ctl.Column;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.Warrenctl;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** list_permissions: GET /api/vhosts/{vhost}/permissions. */
@Command(
    name = "list_permissions",
    description = "Lists user permissions in a virtual host",
    customSynopsis =
        "list_permissions [--vhost <vhost>] [--no-table-headers] [--timeout <timeout>]")
public final class ListPermissions implements Callable<Integer> {
  static final List<Column> COLUMNS =
      List.of(Column.of("user"), Column.of("configure"), Column.of("write"), Column.of("read"));

  @ParentCommand Warrenctl root;
  @Mixin TableOptions table;

  @Override
  public Integer call() {
    Ctl ctl = root.ctl();
    String vhost = ctl.vhost();
    return Lists.printForVhost(
        ctl,
        "Listing permissions for vhost \"" + vhost + "\" ...",
        ApiPath.of("vhosts", vhost, "permissions"),
        COLUMNS,
        table.headers());
  }
}
