package dev.warren.ctl.commands;

import dev.warren.ctl.Warrenctl;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** set_policy: see {@link Policies#set}. */
@Command(
    name = "set_policy",
    description = "Sets or updates a policy",
    customSynopsis =
        "set_policy [--vhost <vhost>] [--priority <priority>] [--apply-to <apply-to>] <name>"
            + " <pattern> <definition>")
public final class SetPolicy implements Callable<Integer> {
  @ParentCommand Warrenctl root;
  @Mixin PolicyArguments policy;

  @Override
  public Integer call() {
    return Policies.USER.set(root.ctl(), policy);
  }
}
