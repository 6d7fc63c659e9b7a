package dev.warren.ctl.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.ManagementApi;
import dev.warren.ctl.Warrenctl;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** set_permissions: PUT /api/permissions/{vhost}/{user}. */
@Command(
    name = "set_permissions",
    description = "Sets user permissions for a vhost",
    customSynopsis = "set_permissions [--vhost <vhost>] <username> <conf> <write> <read>")
public final class SetPermissions implements Callable<Integer> {
  @ParentCommand Warrenctl root;

  @Parameters(index = "0", paramLabel = "<username>")
  String username;

  @Parameters(index = "1", paramLabel = "<conf>")
  String configure;

  @Parameters(index = "2", paramLabel = "<write>")
  String write;

  @Parameters(index = "3", paramLabel = "<read>")
  String read;

  @Override
  public Integer call() {
    Ctl ctl = root.ctl();
    String vhost = ctl.vhost();
    ctl.out()
        .banner("Setting permissions for user \"" + username + "\" in vhost \"" + vhost + "\" ...");
    ObjectNode body = ManagementApi.JSON.createObjectNode();
    body.put("configure", configure).put("write", write).put("read", read);
    return Permissions.put(ctl, "permissions", username, body);
  }
}
