package dev.warren.ctl.commands;

import dev.warren.ctl.ApiPath;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.Warrenctl;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * clear_parameter: DELETE /api/parameters/{component}/{vhost}/{name} (see {@link
 * RuntimeParameters#delete}).
 */
@Command(
    name = "clear_parameter",
    description = "Clears a runtime parameter.",
    customSynopsis = "clear_parameter [--vhost <vhost>] <component_name> <name>")
public final class ClearParameter implements Callable<Integer> {
  @ParentCommand Warrenctl root;

  @Parameters(index = "0", paramLabel = "<component_name>")
  String component;

  @Parameters(index = "1", paramLabel = "<name>")
  String name;

  @Override
  public Integer call() {
    Ctl ctl = root.ctl();
    String vhost = ctl.vhost();
    ctl.out()
        .banner(
            "Clearing runtime parameter \""
                + name
                + "\" for component \""
                + component
                + "\" on vhost \""
                + vhost
                + "\" ...");
    return RuntimeParameters.delete(ctl, ApiPath.of("parameters", component, vhost, name));
  }
}
