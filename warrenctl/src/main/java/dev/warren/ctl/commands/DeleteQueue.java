package dev.warren.ctl.commands;

import dev.warren.ctl.ApiPath;
import dev.warren.ctl.ApiResponse;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.CtlException;
import dev.warren.ctl.ExitCode;
import dev.warren.ctl.Warrenctl;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * delete_queue: DELETE /api/queues/{vhost}/{queue}, with if-empty / if-unused. The API does not say
 * how many messages went with the queue, so the count printed is the queue's messages_ready as GET
 * reported it just before (the management statistics may lag behind by a few seconds).
 */
@Command(
    name = "delete_queue",
    description = "Deletes a queue",
    customSynopsis =
        "delete_queue <queue_name> [--if-empty|-e] [--if-unused|-u] [--timeout <timeout>]")
public final class DeleteQueue implements Callable<Integer> {
  @ParentCommand Warrenctl root;

  @Parameters(index = "0", paramLabel = "<queue_name>")
  String queue;

  @Option(
      names = {"-e", "--if-empty"},
      description = "delete the queue if it is empty (has no messages ready for delivery)")
  boolean ifEmpty;

  @Option(
      names = {"-u", "--if-unused"},
      description = "delete the queue only if it has no consumers")
  boolean ifUnused;

  @Override
  public Integer call() {
    Ctl ctl = root.ctl();
    String vhost = ctl.vhost();
    List<String> conditions = new ArrayList<>();
    if (ifEmpty) {
      conditions.add("if queue is empty");
    }
    if (ifUnused) {
      conditions.add("if queue is unused");
    }
    ctl.out()
        .banner(
            "Deleting queue '"
                + queue
                + "' on vhost '"
                + vhost
                + "'"
                + (conditions.isEmpty() ? "" : " " + String.join(" and ", conditions))
                + " ...");
    String path = ApiPath.of("queues", vhost, queue);
    ApiResponse found = ctl.api().get(path);
    if (found.notFound()) {
      throw notFound();
    }
    if (!found.ok()) {
      throw ctl.api().unexpected("GET", path, found);
    }
    long ready = found.body().path("messages_ready").asLong(0);
    String query = "";
    if (ifEmpty || ifUnused) {
      List<String> params = new ArrayList<>();
      if (ifEmpty) {
        params.add("if-empty=true");
      }
      if (ifUnused) {
        params.add("if-unused=true");
      }
      query = "?" + String.join("&", params);
    }
    ApiResponse response = ctl.api().delete(path + query);
    if (response.notFound()) {
      throw notFound();
    }
    if (!response.ok()) {
      String reason = response.reason();
      if (reason.contains("not empty")) {
        throw CtlException.error(ExitCode.USAGE, "Queue is not empty");
      }
      if (reason.contains("in use")) {
        throw CtlException.error(ExitCode.USAGE, "Queue is in use");
      }
      throw ctl.api().unexpected("DELETE", path, response);
    }
    String message = "Queue was successfully deleted with " + ready + " ready messages";
    if (ctl.out().json()) {
      ctl.out().jsonLine(Map.of("message", message));
    } else {
      ctl.out().line(message);
    }
    return 0;
  }

  private static CtlException notFound() {
    return CtlException.error(ExitCode.USAGE, "Queue not found");
  }
}
