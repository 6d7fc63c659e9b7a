package dev.warren.ctl.commands;

import dev.warren.ctl.ApiPath;
import dev.warren.ctl.ApiResponse;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.CtlException;
import dev.warren.ctl.Warrenctl;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * await_startup: GET /api/overview every half second until it answers, for at most -t seconds (300
 * by default). rabbitmqctl fails at once when the node's runtime is not running; over HTTP a broker
 * that has not started yet and one that is not there look the same, so this waits for both.
 */
@Command(
    name = "await_startup",
    description = "Waits for the broker to start and serve its management API",
    customSynopsis = "await_startup")
public final class AwaitStartup implements Callable<Integer> {
  static final double DEFAULT_TIMEOUT_SECONDS = 300;

  @ParentCommand Warrenctl root;

  @Override
  public Integer call() throws InterruptedException {
    Ctl ctl = root.ctl();
    long deadline =
        System.nanoTime()
            + (long) (ctl.timeoutSeconds().orElse(DEFAULT_TIMEOUT_SECONDS) * 1_000_000_000L);
    String path = ApiPath.of("overview");
    while (true) {
      try {
        ApiResponse response = ctl.api().get(path);
        if (response.ok()) {
          break;
        }
        if (System.nanoTime() > deadline) {
          throw ctl.api().unexpected("GET", path, response);
        }
      } catch (CtlException unreachable) {
        if (System.nanoTime() > deadline) {
          throw unreachable;
        }
      }
      Thread.sleep(500);
    }
    ctl.out().ok();
    return 0;
  }
}
