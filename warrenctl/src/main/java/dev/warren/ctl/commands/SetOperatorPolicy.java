package dev.warren.ctl.commands;

import dev.warren.ctl.Warrenctl;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** set_operator_policy: see {@link Policies#set}. */
@Command(
    name = "set_operator_policy",
    description = "Sets an operator policy that overrides a subset of arguments in user policies",
    customSynopsis =
        "set_operator_policy [--vhost <vhost>] [--priority <priority>] [--apply-to <apply-to>] <name>"
            + " <pattern> <definition>")
public final class SetOperatorPolicy implements Callable<Integer> {
  @ParentCommand Warrenctl root;
  @Mixin PolicyArguments policy;

  @Override
  public Integer call() {
    return Policies.OPERATOR.set(root.ctl(), policy);
  }
}
