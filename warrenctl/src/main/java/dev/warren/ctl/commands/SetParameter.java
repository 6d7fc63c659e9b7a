package dev.warren.ctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warren.ctl.ApiPath;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.ManagementApi;
import dev.warren.ctl.Warrenctl;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * set_parameter: PUT /api/parameters/{component}/{vhost}/{name} (see {@link
 * RuntimeParameters#put}).
 */
@Command(
    name = "set_parameter",
    description = "Sets a runtime parameter.",
    customSynopsis = "set_parameter [--vhost <vhost>] <component_name> <name> <value>")
public final class SetParameter implements Callable<Integer> {
  @ParentCommand Warrenctl root;

  @Parameters(index = "0", paramLabel = "<component_name>")
  String component;

  @Parameters(index = "1", paramLabel = "<name>")
  String name;

  @Parameters(index = "2", paramLabel = "<value>", description = "a JSON document")
  String value;

  @Override
  public Integer call() {
    Ctl ctl = root.ctl();
    String vhost = ctl.vhost();
    ctl.out()
        .banner(
            "Setting runtime parameter \""
                + name
                + "\" for component \""
                + component
                + "\" to \""
                + value
                + "\" in vhost \""
                + vhost
                + "\" ...");
    JsonNode parsed = Arguments.json(value);
    ObjectNode body = ManagementApi.JSON.createObjectNode();
    body.put("component", component).put("vhost", vhost).put("name", name);
    body.set("value", parsed);
    return RuntimeParameters.put(ctl, ApiPath.of("parameters", component, vhost, name), body);
  }
}
