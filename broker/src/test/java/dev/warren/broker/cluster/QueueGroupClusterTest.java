package dev.warren.broker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import dev.warren.broker.it.Poll;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quorum queues in a cluster live in queue groups (issue 17): their messages are committed through
 * the group's Raft log on a majority before they are confirmed, the queue serves on the node that
 * leads its group, and when that node goes the group's new leader serves the same messages, those
 * that may have been delivered flagged redelivered. Three brokers in this JVM on loopback ({@link
 * ClusterNodes}); clients connect to the node that leads the queue's group.
 */
class QueueGroupClusterTest {
  private static final Duration ELECTED = Duration.ofSeconds(15);

  /** How soon a node answers a command on a queue it does not serve. */
  private static final Duration ANSWERED = Duration.ofSeconds(5);

  private static final Map<String, Object> QUORUM = Map.of("x-queue-type", "quorum");
  private static final AMQP.BasicProperties PERSISTENT =
      new AMQP.BasicProperties.Builder().deliveryMode(2).build();

  @TempDir Path root;

  private ClusterNodes cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void confirmedMessagesSurviveTheLossOfTheirGroupsLeaderAndComeBackRedelivered() throws Exception {
    cluster = new ClusterNodes(root, 3).startAll();
    int leader = awaitQueueLeader("orders", -1);
    Channel ch = cluster.connect(leader).createChannel();
    ch.queueDeclare("orders", true, false, false, QUORUM);
    publishConfirmed(ch, "orders", 0, 20);
    // Three delivered and not acked when the leader goes.
    for (int i = 0; i < 3; i++) {
      GetResponse got = ch.basicGet("orders", false);
      assertEquals("m" + i, body(got));
      assertFalse(got.getEnvelope().isRedeliver());
    }

    cluster.stop(leader);
    int next = awaitQueueLeader("orders", leader);
    Channel survivor = cluster.connect(next).createChannel();
    List<GetResponse> drained = drain(survivor, "orders", 20);
    assertEquals(20, drained.size(), "every confirmed message is there");
    for (int i = 0; i < 20; i++) {
      assertEquals("m" + i, body(drained.get(i)), "in order");
    }
    for (int i = 0; i < 3; i++) {
      assertTrue(drained.get(i).getEnvelope().isRedeliver(), "m" + i + " was delivered before");
    }
    // The survivors keep serving: new messages are confirmed, then delivered, not redelivered.
    publishConfirmed(survivor, "orders", 20, 1);
    GetResponse fresh = survivor.basicGet("orders", true);
    assertEquals("m20", body(fresh));
    assertFalse(fresh.getEnvelope().isRedeliver());
  }

  @Test
  void anAckedMessageDoesNotComeBackAfterALeaderChange() throws Exception {
    cluster = new ClusterNodes(root, 3).startAll();
    int leader = awaitQueueLeader("payments", -1);
    Channel ch = cluster.connect(leader).createChannel();
    ch.queueDeclare("payments", true, false, false, QUORUM);
    publishConfirmed(ch, "payments", 0, 5);
    GetResponse first = ch.basicGet("payments", false);
    ch.basicAck(first.getEnvelope().getDeliveryTag(), false);
    // The queue's entries are committed in the order it made them: once a later publish is
    // confirmed, the ack is committed too.
    publishConfirmed(ch, "payments", 5, 1);

    cluster.stop(leader);
    int next = awaitQueueLeader("payments", leader);
    List<GetResponse> drained = drain(cluster.connect(next).createChannel(), "payments", 5);
    assertEquals(
        List.of("m1", "m2", "m3", "m4", "m5"), drained.stream().map(g -> body(g)).toList());
  }

  @Test
  void publishesWithoutAMajorityAreNeverConfirmed() throws Exception {
    cluster = new ClusterNodes(root, 3).startAll();
    int leader = awaitQueueLeader("lonely", -1);
    Channel ch = cluster.connect(leader).createChannel();
    ch.queueDeclare("lonely", true, false, false, QUORUM);
    publishConfirmed(ch, "lonely", 0, 1);
    for (int i = 0; i < 3; i++) {
      if (i != leader) {
        cluster.stop(i);
      }
    }
    ch.confirmSelect();
    List<Boolean> outcomes = new ArrayList<>();
    ch.addConfirmListener(
        (tag, multiple) -> outcomes.add(true), (tag, multiple) -> outcomes.add(false));
    ch.basicPublish("", "lonely", PERSISTENT, "m1".getBytes(StandardCharsets.UTF_8));
    boolean confirmed;
    try {
      confirmed = ch.waitForConfirms(ClusterNodes.COMMIT_TIMEOUT.toMillis() * 3);
    } catch (java.util.concurrent.TimeoutException e) {
      confirmed = false;
    }
    assertFalse(confirmed, "no majority: a nack or no answer, never an ack");
    assertFalse(outcomes.contains(true), "never an ack: " + outcomes);
  }

  @Test
  void aRestartedNodeCatchesUpAndServesWhenItLeadsItsGroupAgain() throws Exception {
    cluster = new ClusterNodes(root, 3).startAll();
    // A queue whose group prefers n3 as its leader (group 2 of 4 with three nodes).
    String queue = queuePreferring(2);
    // Leaders are spread: once elections settle, Ratis hands the group to its preferred node.
    Poll.until(ELECTED, () -> "n3".equals(cluster.node(0).queueLeader("/", queue)), "n3 leads");
    cluster.stop(2);
    int interim = awaitQueueLeader(queue, 2);
    Channel ch = cluster.connect(interim).createChannel();
    ch.queueDeclare(queue, true, false, false, QUORUM);
    publishConfirmed(ch, queue, 0, 10);

    cluster.start(2);
    // Ratis hands leadership back to the preferred node once it has caught up with the log.
    Poll.until(ELECTED, () -> "n3".equals(cluster.node(2).queueLeader("/", queue)), "n3 leads");
    Channel back = cluster.connect(2).createChannel();
    List<GetResponse> drained = drain(back, queue, 10);
    assertEquals(10, drained.size());
    assertEquals("m9", body(drained.get(9)));
  }

  @Test
  void aNodeThatDoesNotLeadTheQueuesGroupAnswersEveryCommandAtOnce() throws Exception {
    cluster = new ClusterNodes(root, 3).startAll();
    int leader = awaitQueueLeader("served", -1);
    String leaderName = "n" + (leader + 1);
    cluster.connect(leader).createChannel().queueDeclare("served", true, false, false, QUORUM);
    int follower = (leader + 1) % 3;
    Poll.until(
        ELECTED,
        () -> leaderName.equals(cluster.node(follower).queueLeader("/", "served")),
        "the follower to know the leader");
    com.rabbitmq.client.Connection c = cluster.connect(follower);

    Channel publisher = c.createChannel();
    publisher.confirmSelect();
    publisher.basicPublish("", "served", PERSISTENT, "m0".getBytes(StandardCharsets.UTF_8));
    assertFalse(
        assertTimeoutPreemptively(ANSWERED, () -> publisher.waitForConfirms(10_000)),
        "nacked: the follower cannot store it");
    assertRefusedNaming(leaderName, c, ch -> ch.basicGet("served", false));
    assertRefusedNaming(
        leaderName, c, ch -> ch.basicConsume("served", false, new DefaultConsumer(ch)));
    assertRefusedNaming(leaderName, c, ch -> ch.queueDeclarePassive("served"));
    assertRefusedNaming(leaderName, c, ch -> ch.queuePurge("served"));
  }

  /** A command on a new channel of {@code c} closes the channel with 404, naming the leader. */
  private static void assertRefusedNaming(
      String leader, com.rabbitmq.client.Connection c, ChannelCall call) throws Exception {
    Channel ch = c.createChannel();
    IOException e =
        assertThrows(
            IOException.class, () -> assertTimeoutPreemptively(ANSWERED, () -> call.run(ch)));
    ShutdownSignalException closed = assertInstanceOf(ShutdownSignalException.class, e.getCause());
    AMQP.Channel.Close close = (AMQP.Channel.Close) closed.getReason();
    assertEquals(404, close.getReplyCode());
    assertTrue(close.getReplyText().contains("node " + leader), close.getReplyText());
  }

  @FunctionalInterface
  private interface ChannelCall {
    void run(Channel ch) throws Exception;
  }

  /** A queue name whose group is {@code group} (the cluster's default count of groups). */
  private String queuePreferring(int group) {
    for (int i = 0; ; i++) {
      String name = "q" + i;
      if (Math.floorMod(("/" + '\u0000' + name).hashCode(), 4) == group) {
        return name;
      }
    }
  }

  /**
   * Waits until the surviving nodes agree on a leader of the queue's group other than {@code not};
   * returns its index.
   */
  private int awaitQueueLeader(String queue, int not) {
    int[] found = {-1};
    Poll.until(
        ELECTED,
        () -> {
          String agreed = null;
          for (int i = 0; i < 3; i++) {
            if (i == not || cluster.node(i) == null) {
              continue;
            }
            String leader = cluster.node(i).queueLeader("/", queue);
            if (leader == null || (agreed != null && !agreed.equals(leader))) {
              return false;
            }
            agreed = leader;
          }
          int index = Integer.parseInt(agreed.substring(1)) - 1;
          found[0] = index;
          return index != not && cluster.node(index) != null;
        },
        "a leader of the group of " + queue);
    assertNotNull(cluster.node(found[0]));
    return found[0];
  }

  private static void publishConfirmed(Channel ch, String queue, int from, int count)
      throws Exception {
    ch.confirmSelect();
    for (int i = from; i < from + count; i++) {
      ch.basicPublish("", queue, PERSISTENT, ("m" + i).getBytes(StandardCharsets.UTF_8));
    }
    ch.waitForConfirmsOrDie(10_000);
  }

  /** Gets (no-ack) until the queue is empty; waits for the queue to serve at first. */
  private static List<GetResponse> drain(Channel ch, String queue, int expected) throws Exception {
    List<GetResponse> got = new ArrayList<>();
    Poll.until(
        ELECTED,
        () -> {
          GetResponse next;
          while ((next = ch.basicGet(queue, true)) != null) {
            got.add(next);
          }
          return got.size() >= expected;
        },
        expected + " messages from " + queue);
    assertNull(ch.basicGet(queue, true));
    return got;
  }

  private static String body(GetResponse got) {
    return new String(got.getBody(), StandardCharsets.UTF_8);
  }
}
