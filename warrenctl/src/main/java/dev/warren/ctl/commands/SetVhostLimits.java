package dev.warren.ctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warren.ctl.ApiPath;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.Warrenctl;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * set_vhost_limits: the document replaces the virtual host's limits, as with rabbitmqctl: one PUT
 * /api/vhost-limits/{vhost}/{limit} per limit named, then a DELETE for each limit set before and
 * not named. The API takes one limit per request, so this is not atomic: a bad limit after good
 * ones leaves the good ones set (rabbitmqctl changes nothing).
 */
@Command(
    name = "set_vhost_limits",
    description = "Sets virtual host limits",
    customSynopsis = "set_vhost_limits [--vhost <vhost>] <definition>")
public final class SetVhostLimits implements Callable<Integer> {
  @ParentCommand Warrenctl root;

  @Parameters(index = "0", paramLabel = "<definition>")
  String definition;

  @Override
  public Integer call() {
    Ctl ctl = root.ctl();
    String vhost = ctl.vhost();
    ctl.out()
        .banner("Setting vhost limits to \"" + definition + "\" for vhost \"" + vhost + "\" ...");
    JsonNode limits = Arguments.jsonObject(definition);
    List<JsonNode> current = Lists.inVhost(ctl, ApiPath.of("vhost-limits", vhost), vhost);
    Limits.putEach(ctl, "vhost-limits", vhost, limits);
    for (JsonNode row : current) {
      Iterator<String> names = row.path("value").fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        if (!limits.has(name)) {
          ctl.api().deleteIfPresent(ApiPath.of("vhost-limits", vhost, name));
        }
      }
    }
    ctl.out().ok();
    return 0;
  }
}
