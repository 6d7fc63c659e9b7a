package dev.warren.ctl.commands;

import dev.warren.ctl.Warrenctl;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** list_policies: see {@link Policies#list}. */
@Command(
    name = "list_policies",
    description = "Lists all policies in a virtual host",
    customSynopsis = "list_policies [--vhost <vhost>] [--no-table-headers] [--timeout <timeout>]")
public final class ListPolicies implements Callable<Integer> {
  @ParentCommand Warrenctl root;
  @Mixin TableOptions table;

  @Override
  public Integer call() {
    return Policies.USER.list(root.ctl(), table.headers());
  }
}
