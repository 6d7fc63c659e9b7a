package dev.warren.ctl.commands;

import dev.warren.ctl.ApiPath;
import dev.warren.ctl.ApiResponse;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.CtlException;
import dev.warren.ctl.ExitCode;
import dev.warren.ctl.Warrenctl;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** purge_queue: DELETE /api/queues/{vhost}/{queue}/contents. */
@Command(
    name = "purge_queue",
    description = "Purges a queue (removes all messages in it)",
    customSynopsis = "purge_queue <queue> [--timeout <timeout>]")
public final class PurgeQueue implements Callable<Integer> {
  @ParentCommand Warrenctl root;

  @Parameters(index = "0", paramLabel = "<queue>")
  String queue;

  @Override
  public Integer call() {
    Ctl ctl = root.ctl();
    String vhost = ctl.vhost();
    ctl.out().banner("Purging queue '" + queue + "' in vhost '" + vhost + "' ...");
    String path = ApiPath.of("queues", vhost, queue, "contents");
    ApiResponse response = ctl.api().delete(path);
    if (response.notFound()) {
      throw CtlException.error(ExitCode.UNAVAILABLE, "not_found");
    }
    if (!response.ok()) {
      throw ctl.api().unexpected("DELETE", path, response);
    }
    ctl.out().ok();
    return 0;
  }
}
