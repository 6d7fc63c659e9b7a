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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Consumer priorities hold across the nodes of a quorum queue: a consumer of a higher priority on
 * one node gets the messages while it has room, before consumers of lower priority on the leader
 * and on the other node; once it is full, they get the rest at once.
 */
class ConsumerPrioritiesClusterTest extends ClusterTest {
  private static final Duration DELIVERED = Duration.ofSeconds(20);

  @Test
  void aHigherPriorityConsumerOnAFollowerGoesFirstUntilItIsFull() throws Exception {
    cluster = new ClusterNodes(root, 3).startAll();
    int leader = cluster.awaitQueueLeader("prio", -1);
    Channel publisher = cluster.connect(leader).createChannel();
    publisher.queueDeclare("prio", true, false, false, QUORUM);

    Channel highChannel = cluster.connect((leader + 1) % 3).createChannel();
    highChannel.basicQos(5);
    List<String> high = Collections.synchronizedList(new ArrayList<>());
    highChannel.basicConsume(
        "prio",
        false,
        Map.of("x-priority", 10),
        (tag, d) -> high.add(new String(d.getBody(), StandardCharsets.UTF_8)),
        tag -> {});
    publishConfirmed(publisher, "prio", 0, 1);
    Poll.until(DELIVERED, () -> high.size() == 1, "the first message, so its node pulls");

    List<String> lowOnLeader = consumeWithoutAcks(cluster.connect(leader).createChannel());
    List<String> lowOnFollower =
        consumeWithoutAcks(cluster.connect((leader + 2) % 3).createChannel());
    publishConfirmed(publisher, "prio", 1, 4);
    Poll.until(DELIVERED, () -> high.size() == 5, "four more for the high priority");
    assertEquals(names(0, 5), List.copyOf(high));

    publishConfirmed(publisher, "prio", 5, 10);
    Poll.until(
        DELIVERED,
        () -> lowOnLeader.size() + lowOnFollower.size() == 10,
        "the rest for the others once the high priority is full");
    List<String> low = new ArrayList<>(lowOnLeader);
    low.addAll(lowOnFollower);
    low.sort(null);
    List<String> expected = new ArrayList<>(names(5, 10));
    expected.sort(null);
    assertEquals(expected, low, "each once");
    assertEquals(5, high.size(), "nothing beyond its prefetch");
  }

  private static List<String> consumeWithoutAcks(Channel ch) throws Exception {
    List<String> got = Collections.synchronizedList(new ArrayList<>());
    ch.basicConsume(
        "prio",
        true,
        (tag, d) -> got.add(new String(d.getBody(), StandardCharsets.UTF_8)),
        t -> {});
    return got;
  }
}
