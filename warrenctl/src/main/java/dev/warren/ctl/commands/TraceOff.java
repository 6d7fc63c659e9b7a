package dev.warren.ctl.commands;

import dev.warren.ctl.Warrenctl;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** trace_off: see {@link Tracing}. */
@Command(
    name = "trace_off",
    description = "Turns the firehose off for a virtual host",
    customSynopsis = "trace_off [--vhost <vhost>]")
public final class TraceOff implements Callable<Integer> {
  @ParentCommand Warrenctl root;

  @Override
  public Integer call() {
    return Tracing.set(root.ctl(), false);
  }
}
