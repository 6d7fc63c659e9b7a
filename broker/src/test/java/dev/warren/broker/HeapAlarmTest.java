package dev.warren.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.ShutdownSignalException;
import dev.warren.broker.it.Poll;
import dev.warren.broker.it.TestBroker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages held in memory cannot exhaust the heap: deliveries a consumer never acks stay in memory
 * (a backlog of ready messages is paged out instead), so a broker with a small heap blocks
 * publishers (connection.blocked): first on its memory ledger, the count of the heap its messages
 * take (at 40% of the heap); and, should that count fall short, once the live heap passes half its
 * maximum. The consumer goes away (everything is requeued), another drains the queue, and the alarm
 * clears (connection.unblocked) so publishing goes on. New queues, which take heap for as long as
 * they live, are refused while the heap is short, and the broker goes on.
 */
class HeapAlarmTest {
  private static final Logger LOG = LoggerFactory.getLogger(HeapAlarmTest.class);
  private static final int LIMIT = 600_000;
  private static final int QUEUE_LIMIT = 200_000;

  @TempDir Path dir;

  @Test
  @Timeout(120)
  void unackedDeliveriesBlockPublishersOnTheMemoryLedgerUntilDrained() throws Exception {
    blockAndDrain(List.of(), "low on memory");
  }

  @Test
  @Timeout(120)
  void unackedDeliveriesThatFillHalfTheHeapBlockPublishersUntilDrained() throws Exception {
    // The ledger's limit out of reach: the live heap measured after collections is what blocks.
    blockAndDrain(List.of("--memory-ledger", "1000000000"), "low on heap memory");
  }

  @Test
  @Timeout(120)
  void newQueuesAreRefusedWhileTheHeapIsShortAndTheBrokerGoesOn() throws Exception {
    try (ChildBroker broker =
        ChildBroker.start(
            dir,
            Duration.ofSeconds(20),
            List.of("-Xmx96m"),
            List.of("--memory-ledger", "1000000000"))) {
      ConnectionFactory factory = TestBroker.connectionFactory("127.0.0.1", broker.port());
      try (Connection c = factory.newConnection()) {
        Channel ch = c.createChannel();
        int declared = 0;
        ShutdownSignalException refused = null;
        while (refused == null && declared < QUEUE_LIMIT) {
          try {
            ch.queueDeclare("heap-q-" + declared, false, false, false, null);
            declared++;
          } catch (IOException e) {
            refused = (ShutdownSignalException) e.getCause();
          }
        }
        assertTrue(refused != null, "every one of " + declared + " queues was declared");
        LOG.info("heap alarm: new queues refused after {}", declared);
        AMQP.Channel.Close close = assertInstanceOf(AMQP.Channel.Close.class, refused.getReason());
        assertEquals(406, close.getReplyCode());
        assertEquals(
            "PRECONDITION_FAILED - cannot declare queue 'heap-q-"
                + declared
                + "' in vhost '/': the node is low on heap memory",
            close.getReplyText());

        // The connection goes on: queues that exist are found; deleted, they make room again.
        Channel more = c.createChannel();
        assertEquals(0, more.queueDeclarePassive("heap-q-0").getMessageCount());
        for (int i = 0; i < declared; i++) {
          more.queueDelete("heap-q-" + i);
        }
        Poll.until(
            Duration.ofSeconds(60),
            () -> declares(c, "heap-q-again"),
            "a new queue once the heap has room");
      }
    }
  }

  /** Whether a new queue of that name is declared now (a refusal closes only its channel). */
  private static boolean declares(Connection c, String queue) throws IOException {
    Channel ch = c.createChannel();
    try {
      ch.queueDeclare(queue, false, false, false, null);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void blockAndDrain(List<String> flags, String reason) throws Exception {
    // Direct memory (the bodies) far from its own watermark, so that the heap is what fills up.
    try (ChildBroker broker =
        ChildBroker.start(
            dir, Duration.ofSeconds(20), List.of("-Xmx96m", "-XX:MaxDirectMemorySize=1g"), flags)) {
      ConnectionFactory factory = TestBroker.connectionFactory("127.0.0.1", broker.port());
      CountDownLatch blocked = new CountDownLatch(1);
      AtomicReference<String> blockedBecause = new AtomicReference<>();
      CountDownLatch unblocked = new CountDownLatch(1);
      try (Connection publisher = factory.newConnection();
          Connection holder = factory.newConnection();
          Connection consumer = factory.newConnection()) {
        publisher.addBlockedListener(
            new BlockedListener() {
              @Override
              public void handleBlocked(String reason) {
                blockedBecause.set(reason);
                blocked.countDown();
              }

              @Override
              public void handleUnblocked() {
                unblocked.countDown();
              }
            });
        Channel out = publisher.createChannel();
        out.queueDeclare("backlog", true, false, false, null);
        out.confirmSelect();
        Channel held = holder.createChannel();
        AtomicInteger delivered = new AtomicInteger();
        held.basicConsume("backlog", false, (tag, d) -> delivered.incrementAndGet(), tag -> {});
        int published = 0;
        while (blocked.getCount() > 0 && published < LIMIT) {
          for (int i = 0; i < 1000; i++) {
            out.basicPublish("", "backlog", MessageProperties.PERSISTENT_BASIC, new byte[] {1});
          }
          published += 1000;
          awaitConfirmsUnlessBlocked(out, blocked);
        }
        assertTrue(blocked.getCount() == 0, "no connection.blocked after " + published);
        assertEquals(reason, blockedBecause.get());
        LOG.info(
            "heap alarm: publishers blocked after {} messages, {} delivered unacked",
            published,
            delivered.get());
        held.close(); // every delivery goes back to the queue, in memory

        Channel in = consumer.createChannel();
        in.basicQos(1000);
        AtomicInteger drained = new AtomicInteger();
        in.basicConsume("backlog", true, (tag, d) -> drained.incrementAndGet(), tag -> {});
        assertTrue(unblocked.await(60, TimeUnit.SECONDS), "still blocked after the drain");
        out.basicPublish("", "backlog", MessageProperties.PERSISTENT_BASIC, new byte[] {2});
        out.waitForConfirmsOrDie(30_000);
        LOG.info("heap alarm: cleared after {} drained", drained.get());
        assertTrue(drained.get() > 0);
        Poll.until(
            Duration.ofSeconds(30),
            () -> in.messageCount("backlog") == 0,
            "the consumer to drain everything");
      }
    }
  }

  /**
   * Waits for the batch's confirms; a blocked broker no longer reads them, so stop waiting then.
   */
  private static void awaitConfirmsUnlessBlocked(Channel out, CountDownLatch blocked)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      try {
        assertTrue(out.waitForConfirms(200), "a publish was nacked");
        return;
      } catch (TimeoutException e) {
        if (blocked.getCount() == 0) {
          return;
        }
      }
    }
    throw new AssertionError("no confirms and no connection.blocked within 30 s");
  }
}
