package dev.warren.ctl.commands;

import dev.warren.ctl.Warrenctl;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** list_operator_policies: see {@link Policies#list}. */
@Command(
    name = "list_operator_policies",
    description = "Lists operator policy overrides for a virtual host",
    customSynopsis =
        "list_operator_policies [--vhost <vhost>] [--no-table-headers] [--timeout <timeout>]")
public final class ListOperatorPolicies implements Callable<Integer> {
  @ParentCommand Warrenctl root;
  @Mixin TableOptions table;

  @Override
  public Integer call() {
    return Policies.OPERATOR.list(root.ctl(), table.headers());
  }
}
