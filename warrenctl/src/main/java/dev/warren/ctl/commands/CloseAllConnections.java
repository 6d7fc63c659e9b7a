package dev.warren.ctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warren.ctl.ApiPath;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.Warrenctl;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * close_all_connections: lists the virtual host's connections (GET /api/vhosts/{vhost}/connections,
 * or every connection with --global), then DELETEs them one by one with the reason, up to --limit
 * (which, as with rabbitmqctl, applies to a virtual host's connections, not to --global), waiting
 * --per-connection-delay between two.
 */
@Command(
    name = "close_all_connections",
    description =
        "Instructs the broker to close all connections for the specified vhost or entire RabbitMQ"
            + " node",
    customSynopsis =
        "close_all_connections [--vhost <vhost> --limit <limit>] [-n <node> --global]"
            + " [--per-connection-delay <delay>] <explanation>")
public final class CloseAllConnections implements Callable<Integer> {
  @ParentCommand Warrenctl root;

  @Parameters(index = "0", paramLabel = "<explanation>")
  String reason;

  @Option(names = "--global", description = "consider connections across all virtual hosts")
  boolean global;

  @Option(names = "--limit", paramLabel = "<number>", description = "close up to this many")
  Integer limit;

  @Option(
      names = "--per-connection-delay",
      paramLabel = "<milliseconds>",
      description = "inject a delay between closures")
  long delayMillis;

  @Override
  public Integer call() throws InterruptedException {
    Ctl ctl = root.ctl();
    String vhost = ctl.vhost();
    if (global) {
      ctl.out()
          .banner(
              "Closing all connections to node "
                  + ctl.node()
                  + " (across all vhosts), reason: "
                  + reason
                  + "...");
    } else if (limit != null) {
      ctl.out()
          .banner(
              "Closing "
                  + limit
                  + " connections in vhost "
                  + vhost
                  + ", reason: "
                  + reason
                  + "...");
    } else {
      ctl.out().banner("Closing all connections in vhost " + vhost + ", reason: " + reason + "...");
    }
    List<JsonNode> connections =
        Lists.fetch(
            ctl, global ? ApiPath.of("connections") : ApiPath.of("vhosts", vhost, "connections"));
    if (!global && limit != null && connections.size() > limit) {
      connections = connections.subList(0, limit);
    }
    int closed = 0;
    for (JsonNode connection : connections) {
      if (closed > 0 && delayMillis > 0) {
        Thread.sleep(delayMillis);
      }
      ctl.api()
          .deleteIfPresent(
              ApiPath.of("connections", connection.path("name").asText()),
              Map.of("X-Reason", reason));
      closed++;
    }
    ctl.out().okValue("Closed " + closed + " connections");
    return 0;
  }
}
