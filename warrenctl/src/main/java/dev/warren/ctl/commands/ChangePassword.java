package dev.warren.ctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.ManagementApi;
import dev.warren.ctl.Warrenctl;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** change_password: the user read, then PUT back with the new password and its tags. */
@Command(
    name = "change_password",
    description = "Changes the user password",
    customSynopsis = "change_password <username> <password>")
public final class ChangePassword implements Callable<Integer> {
  @ParentCommand Warrenctl root;
  @Mixin UserCredentials credentials;

  @Override
  public Integer call() {
    Ctl ctl = root.ctl();
    String username = credentials.username;
    ctl.out().banner("Changing password for user \"" + username + "\" ...");
    String secret = credentials.password(ctl);
    JsonNode user = Users.get(ctl, username);
    ObjectNode body = ManagementApi.JSON.createObjectNode();
    body.put("password", secret);
    body.put("tags", String.join(",", Users.tags(user)));
    Users.put(ctl, username, body);
    ctl.out().ok();
    return 0;
  }
}
