package dev.warren.broker.cluster;

import static dev.warren.broker.cluster.QuorumMessages.QUORUM;
import static dev.warren.broker.cluster.QuorumMessages.names;
import static dev.warren.broker.cluster.QuorumMessages.publishConfirmed;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.Channel;
import dev.warren.broker.it.Poll;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A quorum queue with a single active consumer has one across the cluster, whichever nodes its
 * consumers are on: the others, here or on other nodes, wait their turn in the order they came, and
 * take over when the active one is cancelled or its node dies.
 */
class SingleActiveConsumerClusterTest extends ClusterTest {
  private static final Duration TAKES_OVER = Duration.ofSeconds(20);

  /** What each consumer got, by its name. */
  private final Map<String, List<String>> got = new HashMap<>();

  @Test
  void oneConsumerReceivesAcrossTheNodesAndTheNextInLineTakesOver() throws Exception {
    cluster = new ClusterNodes(root, 3).withChild(2);
    String queue = cluster.queuePreferring(0, "sac");
    cluster.startAll();
    int leader = cluster.awaitQueueLeader(queue, -1);
    int follower = leader == 0 ? 1 : 0;
    Map<String, Object> args = new HashMap<>(QUORUM);
    args.put("x-single-active-consumer", true);
    Channel publisher = cluster.connect(leader).createChannel();
    publisher.queueDeclare(queue, true, false, false, args);

    // The first, on the node that will die, is active once its first message comes.
    Channel onChild = cluster.connect(2).createChannel();
    consume(onChild, queue, "first");
    publishConfirmed(publisher, queue, 0, 1);
    Poll.until(TAKES_OVER, () -> got("first").size() == 1, "the first consumer to be active");

    Channel onLeader = cluster.connect(leader).createChannel();
    String secondTag = consume(onLeader, queue, "second");
    consume(cluster.connect(follower).createChannel(), queue, "third");
    publishConfirmed(publisher, queue, 1, 20);
    Poll.until(TAKES_OVER, () -> got("first").size() == 21, "20 more for the first");
    assertEquals(List.of(), got("second"), "the consumer on the leader waits");
    assertEquals(List.of(), got("third"), "the consumer on the other follower waits");

    cluster.kill(2);
    publishConfirmed(publisher, queue, 21, 10);
    Poll.until(TAKES_OVER, () -> got("second").size() == 10, "the second to take over");
    assertEquals(names(21, 10), got("second"));
    assertEquals(List.of(), got("third"));

    onLeader.basicCancel(secondTag);
    publishConfirmed(publisher, queue, 31, 10);
    Poll.until(TAKES_OVER, () -> got("third").size() == 10, "the third to take over");
    assertEquals(names(31, 10), got("third"), "in order, through its node's pulls");
    assertEquals(10, got("second").size(), "nothing more for a cancelled consumer");
  }

  /**
   * Consumes without acks (so that nothing is out on the node that dies, to come back), recording
   * each body under {@code name}; returns the consumer tag.
   */
  private String consume(Channel ch, String queue, String name) throws Exception {
    List<String> bodies = Collections.synchronizedList(new ArrayList<>());
    synchronized (got) {
      got.put(name, bodies);
    }
    return ch.basicConsume(
        queue,
        true,
        (tag, d) -> bodies.add(new String(d.getBody(), StandardCharsets.UTF_8)),
        tag -> {});
  }

  private List<String> got(String name) {
    synchronized (got) {
      return List.copyOf(got.get(name));
    }
  }
}
