package dev.warren.ctl.commands;

import dev.warren.ctl.ApiPath;
import dev.warren.ctl.ApiResponse;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.CtlException;
import dev.warren.ctl.Warrenctl;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** delete_vhost: DELETE /api/vhosts/{vhost}. */
@Command(
    name = "delete_vhost",
    description = "Deletes a virtual host",
    customSynopsis = "delete_vhost <vhost>")
public final class DeleteVhost implements Callable<Integer> {
  @ParentCommand Warrenctl root;

  @Parameters(index = "0", paramLabel = "<vhost>")
  String name;

  @Override
  public Integer call() {
    Ctl ctl = root.ctl();
    ctl.out().banner("Deleting vhost \"" + name + "\" ...");
    String path = ApiPath.of("vhosts", name);
    ApiResponse response = ctl.api().delete(path);
    if (response.notFound()) {
      throw CtlException.noSuchVhost(name);
    }
    if (!response.ok()) {
      throw ctl.api().unexpected("DELETE", path, response);
    }
    ctl.out().ok();
    return 0;
  }
}
