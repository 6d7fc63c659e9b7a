package dev.warren.ctl.commands;

import dev.warren.ctl.Warrenctl;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
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

  @Parameters(index = "0", paramLabel = "<name>", description = "policy name (identifier)")
  String name;

  @Parameters(index = "1", paramLabel = "<pattern>")
  String pattern;

  @Parameters(index = "2", paramLabel = "<definition>", description = "a JSON document")
  String definition;

  @Option(names = "--priority", paramLabel = "<priority>")
  int priority;

  @Option(names = "--apply-to", paramLabel = "<queues | exchanges | all>")
  String applyTo = "all";

  @Override
  public Integer call() {
    return Policies.OPERATOR.set(root.ctl(), name, pattern, definition, priority, applyTo);
  }
}
