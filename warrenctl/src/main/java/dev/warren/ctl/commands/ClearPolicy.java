package dev.warren.ctl.commands;

import dev.warren.ctl.Warrenctl;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** clear_policy: see {@link Policies#clear}. */
@Command(
    name = "clear_policy",
    description = "Clears (removes) a policy",
    customSynopsis = "clear_policy [--vhost <vhost>] <name>")
public final class ClearPolicy implements Callable<Integer> {
  @ParentCommand Warrenctl root;

  @Parameters(index = "0", paramLabel = "<name>")
  String name;

  @Override
  public Integer call() {
    return Policies.USER.clear(root.ctl(), name);
  }
}
