package dev.warren.broker.cluster;

import static dev.warren.broker.cluster.QuorumMessages.PERSISTENT;
import static dev.warren.broker.cluster.QuorumMessages.QUORUM;
import static dev.warren.broker.cluster.QuorumMessages.publishConfirmed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import dev.warren.broker.it.Poll;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Quorum queues in a cluster live in queue groups (issue 17): their messages are committed through
 * the group's Raft log on a majority before they are confirmed, the queue serves on the node that
 * leads its group, and when that node goes the group's new leader serves the same messages, those
 * that may have been delivered flagged redelivered. Three brokers in this JVM on loopback ({@link
 * ClusterNodes}); clients connect to the node that leads the queue's group.
 */
class QueueGroupClusterTest extends ClusterTest {
  private static final Duration ELECTED = ClusterNodes.ELECTED;

  @Test
  void confirmedMessagesSurviveTheLossOfTheirGroupsLeaderAndComeBackRedelivered() throws Exception {
    cluster = new ClusterNodes(root, 3).startAll();
    int leader = cluster.awaitQueueLeader("orders", -1);
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
    int next = cluster.awaitQueueLeader("orders", leader);
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
    int leader = cluster.awaitQueueLeader("payments", -1);
    Channel ch = cluster.connect(leader).createChannel();
    ch.queueDeclare("payments", true, false, false, QUORUM);
    publishConfirmed(ch, "payments", 0, 5);
    GetResponse first = ch.basicGet("payments", false);
    ch.basicAck(first.getEnvelope().getDeliveryTag(), false);
    // The queue's entries are committed in the order it made them: once a later publish is
    // confirmed, the ack is committed too.
    publishConfirmed(ch, "payments", 5, 1);

    cluster.stop(leader);
    int next = cluster.awaitQueueLeader("payments", leader);
    List<GetResponse> drained = drain(cluster.connect(next).createChannel(), "payments", 5);
    assertEquals(
        List.of("m1", "m2", "m3", "m4", "m5"), drained.stream().map(g -> body(g)).toList());
  }

  @Test
  void aMessagesDeliveryCountSurvivesALeaderChangeSoItsDeliveryLimitHolds() throws Exception {
    cluster = new ClusterNodes(root, 3).startAll();
    int leader = cluster.awaitQueueLeader("retries", -1);
    Channel ch = cluster.connect(leader).createChannel();
    ch.queueDeclare(
        "retries", true, false, false, Map.of("x-queue-type", "quorum", "x-delivery-limit", 3));
    publishConfirmed(ch, "retries", 0, 1);
    for (int delivery = 1; delivery <= 2; delivery++) {
      ch.basicReject(ch.basicGet("retries", false).getEnvelope().getDeliveryTag(), true);
    }
    // Entries commit in the order the queue made them: once this is confirmed, so are the returns.
    publishConfirmed(ch, "retries", 1, 1);

    cluster.stop(leader);
    int next = cluster.awaitQueueLeader("retries", leader);
    Channel survivor = cluster.connect(next).createChannel();
    GetResponse[] third = new GetResponse[1];
    Poll.until(
        ELECTED,
        () -> (third[0] = survivor.basicGet("retries", false)) != null,
        "the new leader to serve");
    assertEquals("m0", body(third[0]));
    assertEquals(2L, deliveryCount(third[0]), "two deliveries on the old leader");
    survivor.basicReject(third[0].getEnvelope().getDeliveryTag(), true);
    GetResponse fourth = survivor.basicGet("retries", false);
    assertEquals("m0", body(fourth));
    assertEquals(3L, deliveryCount(fourth));
    survivor.basicReject(fourth.getEnvelope().getDeliveryTag(), true);
    List<GetResponse> rest = drain(survivor, "retries", 1);
    assertEquals(List.of("m1"), rest.stream().map(g -> body(g)).toList(), "m0 over its limit");
  }

  @Test
  void aMessageWhoseDeadLetterIsNotYetSafeIsDeadLetteredAgainByTheNextLeaderNotDelivered()
      throws Exception {
    cluster = new ClusterNodes(root, 3).startAll();
    int leader = cluster.awaitQueueLeader("work", -1);
    Channel ch = cluster.connect(leader).createChannel();
    // A full target that refuses what comes: the dead letter waits in the source's log.
    ch.queueDeclare(
        "dead",
        true,
        false,
        false,
        Map.of("x-queue-type", "quorum", "x-max-length", 1, "x-overflow", "reject-publish"));
    ch.confirmSelect();
    ch.basicPublish("", "dead", PERSISTENT, "filler".getBytes(StandardCharsets.UTF_8));
    ch.waitForConfirmsOrDie(10_000);
    ch.queueDeclare(
        "work",
        true,
        false,
        false,
        Map.of(
            "x-queue-type", "quorum",
            "x-dead-letter-exchange", "",
            "x-dead-letter-routing-key", "dead",
            "x-dead-letter-strategy", "at-least-once",
            "x-overflow", "reject-publish"));
    publishConfirmed(ch, "work", 0, 1);
    ch.basicReject(ch.basicGet("work", false).getEnvelope().getDeliveryTag(), false);
    // Entries commit in the order the queue made them: once m1 is confirmed, so is m0's mark.
    publishConfirmed(ch, "work", 1, 1);

    cluster.stop(leader);
    int next = cluster.awaitQueueLeader("work", leader);
    Channel survivor = cluster.connect(next).createChannel();
    List<GetResponse> ready = drain(survivor, "work", 1);
    assertEquals(List.of("m1"), ready.stream().map(g -> body(g)).toList(), "m0 is not ready");
    // The target's group may have lost its leader too: its new one may not serve at once.
    assertEquals("filler", body(awaitGet(next, "dead")));
    GetResponse dead = awaitGet(next, "dead");
    assertEquals("m0", body(dead), "m0's dead letter, once the target has room");
    assertEquals("rejected", dead.getProps().getHeaders().get("x-first-death-reason") + "");
  }

  /**
   * The next message of {@code queue} (no-ack) through node {@code node}, waiting for one; a
   * channel closed because no leader served the queue yet is replaced.
   */
  private GetResponse awaitGet(int node, String queue) {
    GetResponse[] got = new GetResponse[1];
    Channel[] ch = new Channel[1];
    Poll.until(
        ELECTED,
        () -> {
          if (ch[0] == null || !ch[0].isOpen()) {
            ch[0] = cluster.connect(node).createChannel();
          }
          try {
            got[0] = ch[0].basicGet(queue, true);
          } catch (java.io.IOException notServedYet) {
            return false;
          }
          return got[0] != null;
        },
        "a message from " + queue);
    return got[0];
  }

  @Test
  void publishesWithoutAMajorityAreNeverConfirmed() throws Exception {
    cluster = new ClusterNodes(root, 3).startAll();
    int leader = cluster.awaitQueueLeader("lonely", -1);
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
    int interim = cluster.awaitQueueLeader(queue, 2);
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

  /** A queue name whose group is {@code group} (the cluster's default count of groups). */
  private String queuePreferring(int group) {
    for (int i = 0; ; i++) {
      String name = "q" + i;
      if (Math.floorMod(("/" + '\u0000' + name).hashCode(), 4) == group) {
        return name;
      }
    }
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

  private static Long deliveryCount(GetResponse got) {
    Map<String, Object> headers = got.getProps().getHeaders();
    Object count = headers == null ? null : headers.get("x-delivery-count");
    return count == null ? null : ((Number) count).longValue();
  }

  private static String body(GetResponse got) {
    return new String(got.getBody(), StandardCharsets.UTF_8);
  }
}
