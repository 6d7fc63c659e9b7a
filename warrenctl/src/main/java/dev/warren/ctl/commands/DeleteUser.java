package dev.warren.ctl.commands;

import dev.warren.ctl.ApiPath;
import dev.warren.ctl.ApiResponse;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.Warrenctl;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** delete_user: DELETE /api/users/{user}. */
@Command(
    name = "delete_user",
    description =
        "Removes a user from the internal database. Has no effect on users provided by external"
            + " backends such as LDAP",
    customSynopsis = "delete_user <username>")
public final class DeleteUser implements Callable<Integer> {
  @ParentCommand Warrenctl root;

  @Parameters(index = "0", paramLabel = "<username>")
  String username;

  @Override
  public Integer call() {
    Ctl ctl = root.ctl();
    ctl.out().banner("Deleting user \"" + username + "\" ...");
    String path = ApiPath.of("users", username);
    ApiResponse response = ctl.api().delete(path);
    if (response.notFound()) {
      throw Users.noSuchUser(username);
    }
    if (!response.ok()) {
      throw ctl.api().unexpected("DELETE", path, response);
    }
    ctl.out().ok();
    return 0;
  }
}
