package dev.warren.ctl.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warren.ctl.ApiPath;
import dev.warren.ctl.ApiResponse;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.ManagementApi;
import dev.warren.ctl.Warrenctl;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * add_vhost: PUT /api/vhosts/{vhost}. A virtual host that exists is left as it is, as rabbitmqctl
 * does (the API's PUT would update its description and tags). The API grants the user who creates a
 * virtual host full permissions on it (RabbitMQ's management plugin does the same); rabbitmqctl's
 * add_vhost grants none, so that grant is revoked at once (DELETE /api/permissions/{vhost}/{user}).
 * A client of the new virtual host may briefly see it.
 */
@Command(
    name = "add_vhost",
    description = "Creates a virtual host",
    customSynopsis =
        "add_vhost <vhost> [--description <description> --tags \"<tag1>,<tag2>,<...>\""
            + " --default-queue-type <quorum|classic|stream>]")
public final class AddVhost implements Callable<Integer> {
  @ParentCommand Warrenctl root;

  @Parameters(index = "0", paramLabel = "<vhost>")
  String name;

  @Option(names = "--description", paramLabel = "<description>")
  String description;

  @Option(names = "--tags", paramLabel = "<tags>", description = "comma-separated list of tags")
  String tags;

  @Option(names = "--default-queue-type", paramLabel = "<quorum|classic|stream>")
  String defaultQueueType;

  @Override
  public Integer call() {
    Ctl ctl = root.ctl();
    ctl.out().banner("Adding vhost \"" + name + "\" ...");
    if (!ctl.vhostExists(name)) {
      ObjectNode body = ManagementApi.JSON.createObjectNode();
      if (description != null) {
        body.put("description", description);
      }
      if (tags != null) {
        body.put("tags", tags);
      }
      if (defaultQueueType != null) {
        body.put("default_queue_type", defaultQueueType);
      }
      String path = ApiPath.of("vhosts", name);
      ApiResponse response = ctl.api().put(path, body);
      if (!response.ok()) {
        throw ctl.api().unexpected("PUT", path, response);
      }
      if (response.status() == 201) {
        revokeCreatorsGrant(ctl);
      }
    }
    ctl.out().ok();
    return 0;
  }

  private void revokeCreatorsGrant(Ctl ctl) {
    ctl.api().deleteIfPresent(ApiPath.of("permissions", name, ctl.api().endpoint().user()));
  }
}
