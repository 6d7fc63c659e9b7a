package dev.warren.ctl.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.CtlException;
import dev.warren.ctl.ExitCode;
import dev.warren.ctl.ManagementApi;
import dev.warren.ctl.Warrenctl;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * add_user: PUT /api/users/{user}, after a GET to refuse an existing user as rabbitmqctl does (the
 * API's PUT would update it). An empty password leaves the user without one.
 */
@Command(
    name = "add_user",
    description =
        "Creates a new user in the internal database. This user will have no permissions for any"
            + " virtual hosts by default.",
    customSynopsis = "add_user <username> <password>")
public final class AddUser implements Callable<Integer> {
  static final String DONE =
      "Done. Don't forget to grant the user permissions to some virtual hosts! See 'rabbitmqctl"
          + " help set_permissions' to learn more.";

  @ParentCommand Warrenctl root;
  @Mixin UserCredentials credentials;

  @Override
  public Integer call() {
    Ctl ctl = root.ctl();
    String username = credentials.username;
    ctl.out().banner("Adding user \"" + username + "\" ...");
    String secret = credentials.password(ctl);
    if (ctl.userExists(username)) {
      throw CtlException.error(ExitCode.SOFTWARE, "User \"" + username + "\" already exists");
    }
    ObjectNode body = ManagementApi.JSON.createObjectNode();
    if (secret.isEmpty()) {
      body.put("password_hash", "");
    } else {
      body.put("password", secret);
    }
    body.put("tags", "");
    Users.put(ctl, username, body);
    if (ctl.out().json()) {
      ctl.out().jsonLine(Map.of("message", DONE, "node", ctl.node(), "status", "ok"));
    } else {
      ctl.out().info(DONE);
    }
    return 0;
  }
}
