package dev.warren.ctl.commands;

import dev.warren.ctl.ApiPath;
import dev.warren.ctl.Column;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.Warrenctl;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** list_user_permissions: GET /api/users/{user}/permissions. */
@Command(
    name = "list_user_permissions",
    description = "Lists permissions of a user across all virtual hosts",
    customSynopsis = "list_user_permissions [--no-table-headers] <username> [--timeout <timeout>]")
public final class ListUserPermissions implements Callable<Integer> {
  static final List<Column> COLUMNS =
      List.of(Column.of("vhost"), Column.of("configure"), Column.of("write"), Column.of("read"));

  @ParentCommand Warrenctl root;
  @Mixin TableOptions table;

  @Parameters(index = "0", paramLabel = "<username>", description = "Name of the user")
  String username;

  @Override
  public Integer call() {
    Ctl ctl = root.ctl();
    ctl.out().banner("Listing permissions for user \"" + username + "\" ...");
    ctl.out()
        .table(
            COLUMNS,
            Lists.find(ctl, ApiPath.of("users", username, "permissions"))
                .orElseThrow(() -> Users.noSuchUserError(username)),
            table.headers(),
            false);
    return 0;
  }
}
