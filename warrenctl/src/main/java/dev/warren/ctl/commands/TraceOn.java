package dev.warren.ctl.commands;

import dev.warren.ctl.Warrenctl;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** trace_on: see {@link Tracing}. */
@Command(
    name = "trace_on",
    description = "Turns the firehose on for a virtual host",
    customSynopsis = "trace_on [--vhost <vhost>]")
public final class TraceOn implements Callable<Integer> {
  @ParentCommand Warrenctl root;

  @Override
  public Integer call() {
    return Tracing.set(root.ctl(), true);
  }
}
