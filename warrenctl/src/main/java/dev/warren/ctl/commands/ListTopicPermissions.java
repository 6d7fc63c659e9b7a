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

/** list_topic_permissions: GET /api/vhosts/{vhost}/topic-permissions. */
@Command(
    name = "list_topic_permissions",
    description = "Lists topic permissions in a virtual host",
    customSynopsis =
        "list_topic_permissions [--vhost <vhost>] [--no-table-headers] [--timeout <timeout>]")
public final class ListTopicPermissions implements Callable<Integer> {
  static final List<Column> COLUMNS =
      List.of(Column.of("user"), Column.of("exchange"), Column.of("write"), Column.of("read"));

  @ParentCommand Warrenctl root;
  @Mixin TableOptions table;

  @Override
  public Integer call() {
    Ctl ctl = root.ctl();
    String vhost = ctl.vhost();
    return Lists.printForVhost(
        ctl,
        "Listing topic permissions for vhost \"" + vhost + "\" ...",
        ApiPath.of("vhosts", vhost, "topic-permissions"),
        COLUMNS,
        table.headers());
  }
}
