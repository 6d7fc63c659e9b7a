package dev.warren.ctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warren.ctl.ApiPath;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.ManagementApi;
import dev.warren.ctl.Warrenctl;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * clear_topic_permissions: DELETE /api/topic-permissions/{vhost}/{user}. The API clears a user's
 * topic permissions in a virtual host all at once; to clear one exchange's, the others are read
 * first and set again afterwards (not atomic: a client may briefly see them missing).
 */
@Command(
    name = "clear_topic_permissions",
    description = "Clears user topic permissions for a vhost or exchange",
    customSynopsis = "clear_topic_permissions [--vhost <vhost>] <username> [<exchange>]")
public final class ClearTopicPermissions implements Callable<Integer> {
  @ParentCommand Warrenctl root;

  @Parameters(index = "0", paramLabel = "<username>")
  String username;

  @Parameters(index = "1", arity = "0..1", paramLabel = "<exchange>")
  String exchange;

  @Override
  public Integer call() {
    Ctl ctl = root.ctl();
    String vhost = ctl.vhost();
    ctl.out()
        .banner(
            "Clearing topic permissions"
                + (exchange == null ? "" : " on \"" + exchange + "\"")
                + " for user \""
                + username
                + "\" in vhost \""
                + vhost
                + "\" ...");
    if (exchange == null) {
      return Permissions.delete(ctl, "topic-permissions", username);
    }
    Permissions.requireUserAndVhost(ctl, username, vhost);
    String path = ApiPath.of("topic-permissions", vhost, username);
    List<JsonNode> all = Lists.fetch(ctl, path);
    List<JsonNode> kept =
        all.stream().filter(p -> !exchange.equals(p.path("exchange").asText())).toList();
    if (kept.size() < all.size()) {
      Permissions.check(ctl.api().delete(path));
      for (JsonNode permission : kept) {
        ObjectNode body = ManagementApi.JSON.createObjectNode();
        body.set("exchange", permission.path("exchange"));
        body.set("write", permission.path("write"));
        body.set("read", permission.path("read"));
        Permissions.check(ctl.api().put(path, body));
      }
    }
    ctl.out().ok();
    return 0;
  }
}
