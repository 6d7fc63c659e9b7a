package dev.warren.ctl.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.ManagementApi;
import dev.warren.ctl.Warrenctl;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** set_topic_permissions: PUT /api/topic-permissions/{vhost}/{user}. */
@Command(
    name = "set_topic_permissions",
    description = "Sets user topic permissions for an exchange",
    customSynopsis = "set_topic_permissions [--vhost <vhost>] <username> <exchange> <write> <read>")
public final class SetTopicPermissions implements Callable<Integer> {
  @ParentCommand Warrenctl root;

  @Parameters(index = "0", paramLabel = "<username>")
  String username;

  @Parameters(index = "1", paramLabel = "<exchange>")
  String exchange;

  @Parameters(index = "2", paramLabel = "<write>")
  String write;

  @Parameters(index = "3", paramLabel = "<read>")
  String read;

  @Override
  public Integer call() {
    Ctl ctl = root.ctl();
    String vhost = ctl.vhost();
    ctl.out()
        .banner(
            "Setting topic permissions on \""
                + exchange
                + "\" for user \""
                + username
                + "\" in vhost \""
                + vhost
                + "\" ...");
    ObjectNode body = ManagementApi.JSON.createObjectNode();
    body.put("exchange", exchange).put("write", write).put("read", read);
    return Permissions.put(ctl, "topic-permissions", username, body);
  }
}
