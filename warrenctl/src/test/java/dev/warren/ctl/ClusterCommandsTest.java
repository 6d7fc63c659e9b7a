package dev.warren.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * forget_cluster_node over DELETE /api/nodes/{node}: rabbitmqctl 3.10.8's banner, its error for a
 * node that is not in the cluster (both taken from rabbitmqctl against a RabbitMQ 3.10.8 node), and
 * Warren's refusals in its failed_to_remove_node term, all with status 69.
 */
class ClusterCommandsTest extends CtlTestSupport {
  @Test
  void forgetClusterNodeRemovesTheNodeAfterTheBannerAndThenDoesNotKnowIt() {
    backend.forgettable.add("n3");

    Run forget = ctl("forget_cluster_node", "n3");
    Run again = ctl("forget_cluster_node", "n3");

    assertEquals(0, forget.exitCode());
    assertEquals(lines("Removing node n3 from the cluster"), forget.out());
    assertEquals("", forget.err());
    assertEquals(69, again.exitCode());
    assertEquals(lines("Removing node n3 from the cluster"), again.out());
    assertEquals(
        lines("Error:", "{:not_a_cluster_node, 'The node selected is not in the cluster.'}"),
        again.err());
  }

  @Test
  void aRefusalIsStatus69WithTheBrokersReasonAndQuietDropsTheBanner() {
    backend.forgettable.add("n2");
    backend.forgetRefusal = "node n2 is running: stop it before removing it from the cluster";

    Run refused = ctl("-q", "forget_cluster_node", "--offline", "n2");

    assertEquals(69, refused.exitCode());
    assertEquals("", refused.out());
    assertEquals(
        lines(
            "Error:",
            "{:failed_to_remove_node, :n2, 'node n2 is running: stop it before removing it from"
                + " the cluster'}"),
        refused.err());
  }
}
