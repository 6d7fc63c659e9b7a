package dev.warren.broker.cluster;

import static dev.warren.broker.cluster.QuorumMessages.PERSISTENT;
import static dev.warren.broker.cluster.QuorumMessages.QUORUM;
import static dev.warren.broker.cluster.QuorumMessages.names;
import static dev.warren.broker.cluster.QuorumMessages.publishConfirmed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import dev.warren.broker.it.Poll;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Any node serves any client (issue 17): a node that does not lead a quorum queue's group forwards
 * its clients' commands on the queue to the node that does, and answers every one in bounded time.
 * Three brokers in this JVM on loopback ({@link ClusterNodes}); the clients here connect to the
 * nodes that do not lead the queue's group. In name order: the first one also pays for the JVM's
 * first cluster start, so the longest (a leader stopped) does not come first.
 */
@TestMethodOrder(MethodOrderer.MethodName.class)
class ForwardingClusterTest extends ClusterTest {
  /** How soon a node answers any command: the commit timeout, and some slack. */
  private static final Duration ANSWERED = ClusterNodes.COMMIT_TIMEOUT.multipliedBy(3);

  @Test
  void aPublisherOnOneFollowerIsConfirmedAndAConsumerOnTheOtherGetsEverythingInOrder()
      throws Exception {
    cluster = new ClusterNodes(root, 3).startAll();
    int leader = cluster.awaitQueueLeader("orders", -1);
    int publisherNode = (leader + 1) % 3;
    int consumerNode = (leader + 2) % 3;
    Channel publisher = cluster.connect(publisherNode).createChannel();
    publisher.queueDeclare("orders", true, false, false, QUORUM);
    publishConfirmed(publisher, "orders", 0, 300);

    Channel consumer = cluster.connect(consumerNode).createChannel();
    consumer.basicQos(10);
    List<String> got = Collections.synchronizedList(new ArrayList<>());
    List<Boolean> redelivered = Collections.synchronizedList(new ArrayList<>());
    consumer.basicConsume(
        "orders",
        false,
        new DefaultConsumer(consumer) {
          @Override
          public void handleDelivery(
              String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
              throws IOException {
            got.add(new String(body, StandardCharsets.UTF_8));
            redelivered.add(envelope.isRedeliver());
            getChannel().basicAck(envelope.getDeliveryTag(), false);
          }
        });
    Poll.until(Duration.ofSeconds(20), () -> got.size() >= 300, "300 deliveries on the follower");
    for (int i = 0; i < 300; i++) {
      assertEquals("m" + i, got.get(i), "in publish order");
    }
    assertFalse(redelivered.contains(true), "delivered once each");
    Channel onLeader = cluster.connect(leader).createChannel();
    Poll.until(
        Duration.ofSeconds(10),
        () -> onLeader.queueDeclarePassive("orders").getMessageCount() == 0,
        "the acks to reach the leader");
    assertEquals(
        1,
        consumer.queueDeclarePassive("orders").getConsumerCount(),
        "the follower counts its consumer with the leader's");
    assertEquals(300, got.size(), "nothing more");
  }

  @Test
  void basicGetAckPassiveDeclareAndPurgeWorkThroughAFollower() throws Exception {
    cluster = new ClusterNodes(root, 3).startAll();
    int leader = cluster.awaitQueueLeader("jobs", -1);
    Channel onLeader = cluster.connect(leader).createChannel();
    onLeader.queueDeclare("jobs", true, false, false, QUORUM);
    publishConfirmed(onLeader, "jobs", 0, 4);

    Channel ch = cluster.connect((leader + 1) % 3).createChannel();
    GetResponse first = assertTimeoutPreemptively(ANSWERED, () -> ch.basicGet("jobs", false));
    assertEquals("m0", body(first));
    assertFalse(first.getEnvelope().isRedeliver());
    assertEquals(3, first.getMessageCount(), "ready after it");
    ch.basicAck(first.getEnvelope().getDeliveryTag(), false);
    GetResponse second = assertTimeoutPreemptively(ANSWERED, () -> ch.basicGet("jobs", true));
    assertEquals("m1", body(second));
    GetResponse third = ch.basicGet("jobs", false);
    assertEquals("m2", body(third));
    ch.basicNack(third.getEnvelope().getDeliveryTag(), false, true);

    Poll.until(
        Duration.ofSeconds(10),
        () -> ch.queueDeclarePassive("jobs").getMessageCount() == 2,
        "m2 requeued, m3 ready, as the leader counts them");
    assertEquals(
        2, assertTimeoutPreemptively(ANSWERED, () -> ch.queuePurge("jobs")).getMessageCount());
    assertNull(ch.basicGet("jobs", true));
    assertEquals(0, onLeader.queueDeclarePassive("jobs").getMessageCount(), "gone on the leader");
  }

  @Test
  void aTransactionsAcksThroughAFollowerAreCommittedByItsCommitOk() throws Exception {
    cluster = new ClusterNodes(root, 3).startAll();
    int leader = cluster.awaitQueueLeader("ledger", -1);
    int follower = (leader + 1) % 3;
    Channel ch = cluster.connect(follower).createChannel();
    ch.queueDeclare("ledger", true, false, false, QUORUM);
    publishConfirmed(ch, "ledger", 0, 20);
    Channel tx = cluster.connect(follower).createChannel();
    tx.txSelect();
    for (int i = 0; i < 20; i++) {
      GetResponse got = assertTimeoutPreemptively(ANSWERED, () -> tx.basicGet("ledger", false));
      assertEquals("m" + i, body(got));
      tx.basicAck(got.getEnvelope().getDeliveryTag(), false);
    }
    tx.txCommit();
    // At once: commit-ok promised the acks are in the log, whatever happens to the leader now.
    cluster.stop(leader);

    cluster.awaitQueueLeader("ledger", leader);
    Channel check = cluster.connect(follower).createChannel();
    Poll.until(
        Duration.ofSeconds(10),
        () -> check.queueDeclarePassive("ledger").getMessageCount() == 0,
        "none of the committed acks' messages back");
    assertNull(check.basicGet("ledger", true));
  }

  @Test
  void unackedMessagesOfAFollowersConsumerComeBackRedeliveredWhenTheLeaderStops() throws Exception {
    cluster = new ClusterNodes(root, 3).startAll();
    int leader = cluster.awaitQueueLeader("payments", -1);
    int follower = (leader + 1) % 3;
    Channel ch = cluster.connect(follower).createChannel();
    ch.queueDeclare("payments", true, false, false, QUORUM);
    publishConfirmed(ch, "payments", 0, 10);
    ch.basicQos(50);
    List<String> first = Collections.synchronizedList(new ArrayList<>());
    List<String> again = Collections.synchronizedList(new ArrayList<>());
    long[] lastTag = {0};
    ch.basicConsume(
        "payments",
        false,
        new DefaultConsumer(ch) {
          @Override
          public void handleDelivery(
              String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
            String name = new String(body, StandardCharsets.UTF_8);
            (envelope.isRedeliver() ? again : first).add(name);
            lastTag[0] = envelope.getDeliveryTag();
          }
        });
    Poll.until(Duration.ofSeconds(10), () -> first.size() == 10, "10 deliveries, held unacked");

    cluster.stop(leader);
    cluster.awaitQueueLeader("payments", leader);
    Poll.until(
        Duration.ofSeconds(20), () -> again.size() >= 10, "the 10 back, flagged redelivered");
    assertEquals(names(0, 10), List.copyOf(again).subList(0, 10), "every confirmed one, in order");
    ch.basicAck(lastTag[0], true);
    Channel check = cluster.connect(follower).createChannel();
    Poll.until(
        Duration.ofSeconds(10),
        () -> check.queueDeclarePassive("payments").getMessageCount() == 0,
        "all acked");
    publishConfirmed(check, "payments", 10, 1);
  }

  /**
   * A follower's consumer took messages from the leader and the follower is killed: the leader
   * stays, so nothing rebuilds the queue; it sees the node stopped and takes them back itself.
   */
  @Test
  void messagesAKilledFollowerTookComeBackRedeliveredWhileTheLeaderStays() throws Exception {
    cluster = new ClusterNodes(root, 3).withChild(2);
    String queue = cluster.queuePreferring(0, "refunds");
    cluster.startAll();
    int leader = cluster.awaitQueueLeader(queue, -1);
    Channel onChild = cluster.connect(2).createChannel();
    onChild.queueDeclare(queue, true, false, false, QUORUM);
    publishConfirmed(onChild, queue, 0, 10);
    onChild.basicQos(50);
    List<String> taken = Collections.synchronizedList(new ArrayList<>());
    onChild.basicConsume(
        queue,
        false,
        (tag, d) -> taken.add(new String(d.getBody(), StandardCharsets.UTF_8)),
        t -> {});
    Poll.until(Duration.ofSeconds(10), () -> taken.size() == 10, "10 deliveries on n3, unacked");
    Channel onLeader = cluster.connect(leader).createChannel();
    assertEquals(0, onLeader.queueDeclarePassive(queue).getMessageCount(), "all out, on n3");

    cluster.kill(2);
    List<String> back = Collections.synchronizedList(new ArrayList<>());
    List<Boolean> flagged = Collections.synchronizedList(new ArrayList<>());
    onLeader.basicConsume(
        queue,
        false,
        (tag, d) -> {
          back.add(new String(d.getBody(), StandardCharsets.UTF_8));
          flagged.add(d.getEnvelope().isRedeliver());
        },
        t -> {});
    Poll.until(Duration.ofSeconds(20), () -> back.size() >= 10, "the 10 back on the leader");
    assertEquals(names(0, 10), List.copyOf(back), "every confirmed one, in order, once");
    assertEquals(Collections.nCopies(10, true), List.copyOf(flagged), "flagged redelivered");
    assertEquals(leader, cluster.awaitQueueLeader(queue, 2), "the same leader throughout");
  }

  @Test
  void withoutAMajorityTheLastNodeStillAnswersEveryCommandWithinTheDeadline() throws Exception {
    cluster = new ClusterNodes(root, 3).startAll();
    int leader = cluster.awaitQueueLeader("stuck", -1);
    cluster.connect(leader).createChannel().queueDeclare("stuck", true, false, false, QUORUM);
    int survivor = (leader + 1) % 3;
    Connection c = cluster.connect(survivor);
    cluster.stop(leader);
    cluster.stop((leader + 2) % 3);

    Channel publisher = c.createChannel();
    publisher.confirmSelect();
    List<Boolean> outcomes = Collections.synchronizedList(new ArrayList<>());
    publisher.addConfirmListener(
        (tag, multiple) -> outcomes.add(true), (tag, multiple) -> outcomes.add(false));
    publisher.basicPublish("", "stuck", PERSISTENT, "m0".getBytes(StandardCharsets.UTF_8));
    Poll.until(ANSWERED, () -> !outcomes.isEmpty(), "the publish to be answered");
    assertEquals(List.of(false), outcomes, "nacked, never acked");
    assertAnswered(c, ch -> ch.basicGet("stuck", false));
    assertAnswered(c, ch -> ch.basicConsume("stuck", false, new DefaultConsumer(ch)));
    assertAnswered(c, ch -> ch.queueDeclarePassive("stuck"));
  }

  /**
   * A command on a new channel of {@code c} is answered within the deadline: done (a consumer waits
   * for a leader to feed it), or refused with 404.
   */
  private static void assertAnswered(Connection c, ChannelCall call) throws Exception {
    Channel ch = c.createChannel();
    try {
      assertTimeoutPreemptively(ANSWERED, () -> call.run(ch));
    } catch (Exception e) {
      assertInstanceOf(IOException.class, e);
      ShutdownSignalException closed =
          assertInstanceOf(ShutdownSignalException.class, e.getCause());
      assertEquals(404, ((AMQP.Channel.Close) closed.getReason()).getReplyCode());
    }
  }

  @FunctionalInterface
  private interface ChannelCall {
    void run(Channel ch) throws Exception;
  }

  private static String body(GetResponse got) {
    assertNotNull(got, "a message");
    return new String(got.getBody(), StandardCharsets.UTF_8);
  }
}
