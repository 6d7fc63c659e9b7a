package dev.warren.ctl.commands;

import dev.warren.ctl.ApiPath;
import dev.warren.ctl.ApiResponse;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.CtlException;
import dev.warren.ctl.ExitCode;
import dev.warren.ctl.Warrenctl;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * forget_cluster_node: DELETE /api/nodes/{node}, Warren's path (RabbitMQ's HTTP API has none, so
 * against RabbitMQ this fails with 69 as any refused request). The node must be stopped; the one
 * the API runs on removes it. rabbitmqctl's banner and its error for a node not in the cluster;
 * Warren's refusals (running, the majority would be lost) in rabbitmqctl's failed_to_remove_node
 * term with the broker's reason. {@code --offline} is accepted for rabbitmqctl's sake and changes
 * nothing: the removal always goes through the running nodes.
 */
@Command(
    name = "forget_cluster_node",
    description = "Removes a node from the cluster",
    customSynopsis = "forget_cluster_node [--offline] <existing_cluster_member_node>")
public final class ForgetClusterNode implements Callable<Integer> {
  @ParentCommand Warrenctl root;

  @Parameters(index = "0", paramLabel = "<existing_cluster_member_node>")
  String node;

  @Option(names = "--offline", description = "accepted; the running nodes remove it")
  boolean offline;

  @Override
  public Integer call() {
    Ctl ctl = root.ctl();
    ctl.out().banner("Removing node " + node + " from the cluster");
    String path = ApiPath.of("nodes", node);
    ApiResponse response = ctl.api().delete(path);
    if (response.notFound()) {
      throw CtlException.error(
          ExitCode.UNAVAILABLE,
          "{:not_a_cluster_node, 'The node selected is not in the cluster.'}");
    }
    if (response.status() == 400 || response.status() == 503) {
      throw CtlException.error(
          ExitCode.UNAVAILABLE,
          "{:failed_to_remove_node, :" + atom(node) + ", '" + response.reason() + "'}");
    }
    if (!response.ok()) {
      throw ctl.api().unexpected("DELETE", path, response);
    }
    ctl.out().ok();
    return 0;
  }

  /** An Erlang atom as Elixir prints it: quoted when it is not a plain name. */
  private static String atom(String name) {
    return name.matches("[a-z][A-Za-z0-9_@]*") ? name : "\"" + name + "\"";
  }
}
