package dev.warren.ctl.commands;

import dev.warren.ctl.Warrenctl;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** clear_operator_policy: see {@link Policies#clear}. */
@Command(
    name = "clear_operator_policy",
    description = "Clears an operator policy",
    customSynopsis = "clear_operator_policy [--vhost <vhost>] <name>")
public final class ClearOperatorPolicy implements Callable<Integer> {
  @ParentCommand Warrenctl root;

  @Parameters(index = "0", paramLabel = "<name>")
  String name;

  @Override
  public Integer call() {
    return Policies.OPERATOR.clear(root.ctl(), name);
  }
}
