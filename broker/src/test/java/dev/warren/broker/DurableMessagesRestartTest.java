package dev.warren.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import dev.warren.broker.it.TestBroker;
import dev.warren.persistence.definitions.DefinitionStore;
import dev.warren.persistence.definitions.DeleteQueue;
import dev.warren.persistence.journal.Journal;
import dev.warren.persistence.journal.JournalConfig;
import dev.warren.persistence.journal.Recovery;
import dev.warren.storage.MessageRuns;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Messages across a clean restart of the broker on the same data directory: persistent messages of
 * durable queues come back in order with their properties, where they were published, and the
 * redelivered flag of what was delivered and not acked; transient messages do not; acks, purges and
 * deletes stay done; a backlog deeper than a queue keeps in memory comes back whole.
 */
class DurableMessagesRestartTest {
  private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path dataDir;

  private Broker broker;

  @AfterEach
  void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void persistentMessagesComeBackInOrderWithPropertiesAndRedeliveredFlags() throws Exception {
    start();
    AMQP.BasicProperties props =
        MessageProperties.PERSISTENT_TEXT_PLAIN
            .builder()
            .headers(Map.of("k", "v"))
            .messageId("id")
            .priority(3)
            .build();
    try (Connection c = connect()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("orders", true, false, false, null);
      ch.exchangeDeclare("shop", "direct", true);
      ch.queueBind("orders", "shop", "new");
      ch.confirmSelect();
      for (int i = 0; i < 20; i++) {
        ch.basicPublish("shop", "new", props, body("p" + i));
        ch.basicPublish("shop", "new", MessageProperties.TEXT_PLAIN, body("t" + i));
      }
      ch.waitForConfirmsOrDie(CONFIRM_TIMEOUT.toMillis());
      GetResponse first = ch.basicGet("orders", false); // p0, acked
      ch.basicAck(first.getEnvelope().getDeliveryTag(), false);
      assertNotNull(ch.basicGet("orders", false)); // t0, unacked: transient, gone
      assertNotNull(ch.basicGet("orders", false)); // p1, unacked: back, redelivered
      ch.queueDeclarePassive("orders"); // the ack and deliveries are processed
    }
    restart();
    try (Connection c = connect()) {
      Channel ch = c.createChannel();
      List<String> bodies = new ArrayList<>();
      GetResponse first = ch.basicGet("orders", true);
      assertEquals("p1", text(first));
      assertTrue(first.getEnvelope().isRedeliver());
      assertEquals("shop", first.getEnvelope().getExchange());
      assertEquals("new", first.getEnvelope().getRoutingKey());
      assertEquals("text/plain", first.getProps().getContentType());
      assertEquals(2, first.getProps().getDeliveryMode());
      assertEquals(3, first.getProps().getPriority());
      assertEquals("id", first.getProps().getMessageId());
      assertEquals("v", String.valueOf(first.getProps().getHeaders().get("k")));
      for (GetResponse r = ch.basicGet("orders", true);
          r != null;
          r = ch.basicGet("orders", true)) {
        assertFalse(r.getEnvelope().isRedeliver(), text(r));
        bodies.add(text(r));
      }
      List<String> expected = new ArrayList<>();
      for (int i = 2; i < 20; i++) {
        expected.add("p" + i);
      }
      assertEquals(expected, bodies);
    }
  }

  @Test
  void purgedAndDeletedMessagesStayGone() throws Exception {
    start();
    try (Connection c = connect()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("purged", true, false, false, null);
      ch.queueDeclare("deleted", true, false, false, null);
      ch.confirmSelect();
      for (int i = 0; i < 5; i++) {
        ch.basicPublish("", "purged", MessageProperties.PERSISTENT_BASIC, body("m" + i));
        ch.basicPublish("", "deleted", MessageProperties.PERSISTENT_BASIC, body("m" + i));
      }
      ch.waitForConfirmsOrDie(CONFIRM_TIMEOUT.toMillis());
      assertEquals(5, ch.queuePurge("purged").getMessageCount());
      ch.basicPublish("", "purged", MessageProperties.PERSISTENT_BASIC, body("after"));
      ch.waitForConfirmsOrDie(CONFIRM_TIMEOUT.toMillis());
      ch.queueDelete("deleted");
      ch.queueDeclare("deleted", true, false, false, null);
    }
    restart();
    try (Connection c = connect()) {
      Channel ch = c.createChannel();
      assertEquals(1, ch.queueDeclarePassive("purged").getMessageCount());
      assertEquals("after", text(ch.basicGet("purged", true)));
      assertEquals(0, ch.queueDeclarePassive("deleted").getMessageCount());
    }
  }

  @Test
  @Timeout(90) // its own deadlines: 30 s of confirms, a restart, 20 s of draining
  void aBacklogDeeperThanMemoryHoldsComesBackWhole() throws Exception {
    int total = 24_000; // more than a queue keeps in memory (16,384)
    start();
    try (Connection c = connect()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("deep", true, false, false, null);
      ch.confirmSelect();
      for (int i = 0; i < total; i++) {
        ch.basicPublish("", "deep", MessageProperties.PERSISTENT_BASIC, body("m" + i));
      }
      ch.waitForConfirmsOrDie(CONFIRM_TIMEOUT.toMillis());
      assertEquals(total, ch.queueDeclarePassive("deep").getMessageCount());
    }
    restart();
    try (Connection c = connect()) {
      Channel ch = c.createChannel();
      assertEquals(total, ch.queueDeclarePassive("deep").getMessageCount());
      List<String> received = Collections.synchronizedList(new ArrayList<>());
      CountDownLatch all = new CountDownLatch(total);
      ch.basicQos(1000);
      ch.basicConsume(
          "deep",
          true,
          (tag, delivery) -> {
            received.add(new String(delivery.getBody(), StandardCharsets.UTF_8));
            all.countDown();
          },
          tag -> {});
      assertTrue(all.await(20, TimeUnit.SECONDS), received.size() + " of " + total + " received");
      for (int i = 0; i < total; i++) {
        assertEquals("m" + i, received.get(i));
      }
    }
  }

  @Test
  void messagesOfAQueueWhoseDeletionOnlyReachedTheDefinitionsAreDroppedAtStart() throws Exception {
    start();
    try (Connection c = connect()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("half-deleted", true, false, false, null);
      ch.confirmSelect();
      ch.basicPublish("", "half-deleted", MessageProperties.PERSISTENT_BASIC, body("m"));
      ch.waitForConfirmsOrDie(CONFIRM_TIMEOUT.toMillis());
    }
    broker.close();
    broker = null;
    // A crash after the store committed the delete and before the journal recorded it.
    try (DefinitionStore store = DefinitionStore.open(dataDir.resolve("definitions"))) {
      store.apply(new DeleteQueue("/", "half-deleted"));
    }
    start();
    broker.close();
    broker = null;
    try (Journal journal =
        Journal.open(
            JournalConfig.defaults(dataDir.resolve("journal")), ByteBufAllocator.DEFAULT)) {
      assertEquals(Map.of(), journal.recovery().queues(), "the orphaned messages are gone");
    }
  }

  @Test
  void aTransientQueueSpillsItsDeepBacklogToDiskAndTheNextStartDropsIt() throws Exception {
    int total = 20_000; // more than a queue keeps in memory (16,384)
    start();
    try (Connection c = connect()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("spilling", false, false, false, null);
      ch.confirmSelect();
      for (int i = 0; i < total; i++) {
        ch.basicPublish("", "spilling", MessageProperties.TEXT_PLAIN, body("m" + i));
      }
      ch.waitForConfirmsOrDie(CONFIRM_TIMEOUT.toMillis());
      for (int i = 0; i < 10; i++) {
        assertEquals("m" + i, text(ch.basicGet("spilling", true)));
      }
      assertEquals(total - 10, ch.queueDeclarePassive("spilling").getMessageCount());
    }
    broker.close();
    broker = null;
    long spilled = journalledMessages();
    assertTrue(spilled > 0 && spilled < total, spilled + " messages spilled");
    start(); // drops what transient queues spilled
    try (Connection c = connect()) {
      Channel ch = c.createChannel();
      assertThrows(IOException.class, () -> ch.queueDeclarePassive("spilling"));
    }
    broker.close();
    broker = null;
    assertEquals(0, journalledMessages(), "the spilled messages are gone");
  }

  /**
   * Live messages in the journal of the stopped broker, spilled ones included (an open drops them,
   * and says how many it dropped).
   */
  private long journalledMessages() throws Exception {
    try (Journal journal =
        Journal.open(
            JournalConfig.defaults(dataDir.resolve("journal")), ByteBufAllocator.DEFAULT)) {
      Recovery found = journal.recovery();
      return found.queues().values().stream().mapToLong(MessageRuns::size).sum()
          + found.spilledDropped();
    }
  }

  private void start() {
    broker =
        Broker.start(
            BrokerConfig.defaults().toBuilder()
                .dataDir(dataDir)
                .amqpPort(0)
                .managementPort(0)
                .prometheusPort(0)
                .build());
  }

  private void restart() {
    broker.close();
    broker = null;
    start();
  }

  private Connection connect() throws Exception {
    return TestBroker.connectionFactory("127.0.0.1", broker.amqpPort()).newConnection();
  }

  private static byte[] body(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(GetResponse r) {
    assertNotNull(r, "no message");
    return new String(r.getBody(), StandardCharsets.UTF_8);
  }
}
