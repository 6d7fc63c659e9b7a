package dev.warren.ctl.commands;

import dev.warren.ctl.Ctl;
import dev.warren.ctl.Warrenctl;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** clear_permissions: DELETE /api/permissions/{vhost}/{user}; none to clear is not an error. */
@Command(
    name = "clear_permissions",
    description = "Revokes user permissions for a vhost",
    customSynopsis = "clear_permissions [--vhost <vhost>] <username>")
public final class ClearPermissions implements Callable<Integer> {
  @ParentCommand Warrenctl root;

  @Parameters(index = "0", paramLabel = "<username>")
  String username;

  @Override
  public Integer call() {
    Ctl ctl = root.ctl();
    String vhost = ctl.vhost();
    ctl.out()
        .banner(
            "Clearing permissions for user \"" + username + "\" in vhost \"" + vhost + "\" ...");
    return Permissions.delete(ctl, "permissions", username);
  }
}
