package dev.warren.ctl.commands;

import dev.warren.ctl.ApiPath;
import dev.warren.ctl.Column;
import dev.warren.ctl.ValueKind;
import dev.warren.ctl.Warrenctl;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** list_users: GET /api/users, name and tags. */
@Command(
    name = "list_users",
    description = "List user names and tags",
    customSynopsis = "list_users [--no-table-headers] [--timeout <timeout>]")
public final class ListUsers implements Callable<Integer> {
  static final List<Column> COLUMNS =
      List.of(Column.at("user", ValueKind.PLAIN, "name"), Column.of("tags"));

  @ParentCommand Warrenctl root;
  @Mixin TableOptions table;

  @Override
  public Integer call() {
    return Lists.stream(
        root.ctl(), "Listing users ...", ApiPath.of("users"), COLUMNS, table.headers());
  }
}
