package dev.warren.broker.cluster;

import static dev.warren.broker.cluster.QuorumMessages.publishConfirmed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import dev.warren.broker.it.Poll;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * RabbitMQ 3.x's classic mirroring policy ({@code ha-mode}) on Warren's cluster: a durable classic
 * queue declared while such a policy applies keeps its messages in a queue group, as a quorum queue
 * does, so they survive the loss of the group's leader; one declared before the policy is not moved
 * (each node keeps its own copy, as of any classic queue).
 */
class MirroringPolicyClusterTest extends ClusterTest {

  @Test
  void aClassicQueueDeclaredUnderAnHaModePolicyIsReplicatedAndOneDeclaredBeforeIsNot()
      throws Exception {
    cluster = new ClusterNodes(root, 3).startAll();
    int leader = cluster.awaitQueueLeader("ha.orders", -1);
    Channel ch = cluster.connect(leader).createChannel();
    ch.queueDeclare("ha.before", true, false, false, Map.of());
    // Set through the node that declares next: its answer comes once that node applied it.
    cluster
        .node(leader)
        .policyChanges()
        .putPolicy("/", "mirror", "^ha\\.", "queues", 0, Map.of("ha-mode", "all"))
        .join();
    ch.queueDeclare("ha.orders", true, false, false, Map.of());
    publishConfirmed(ch, "ha.orders", 0, 5);
    publishConfirmed(ch, "ha.before", 0, 1);

    int other = (leader + 1) % 3;
    Channel elsewhere = cluster.connect(other).createChannel();
    assertNull(elsewhere.basicGet("ha.before", true), "declared before: each node's own copy");

    cluster.stop(leader);
    int next = cluster.awaitQueueLeader("ha.orders", leader);
    Channel survivor = cluster.connect(next).createChannel();
    List<String> drained = new ArrayList<>();
    Poll.until(
        ClusterNodes.ELECTED,
        () -> {
          GetResponse got;
          while ((got = survivor.basicGet("ha.orders", true)) != null) {
            drained.add(new String(got.getBody(), StandardCharsets.UTF_8));
          }
          return drained.size() >= 5;
        },
        "the mirrored queue's messages from its new leader");
    assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), drained);
  }
}
