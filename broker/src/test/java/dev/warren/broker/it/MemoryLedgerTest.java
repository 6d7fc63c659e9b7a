package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.warren.broker.Broker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory ledger, the broker's own count of the heap its messages take, holds the broker back
 * before the heap fills: a connection publishing past the ledger's limit is blocked at once
 * (connection.blocked, its publishes wait) and goes on once memory is given back, with nothing
 * lost; a consumer that must ack and has no prefetch limit gets nothing more while memory is short
 * (each delivery to it would grow the heap until it acks), while a consumer with a prefetch window
 * goes on.
 *
 * <p>Warren-only and in-process only: each test starts a broker with a small ledger limit.
 */
class MemoryLedgerTest {
  private static final Duration WITHIN = Duration.ofSeconds(10);

  /** Room for about 6,000 small messages waiting in queues. */
  private static final long LIMIT = 2L * 1024 * 1024;

  @TempDir Path dataDir;
  private Broker broker;
  private Connection publishing;
  private Connection other;

  @BeforeEach
  void start() throws Exception {
    assumeFalse(TestBroker.isExternal(), "Warren-only: the ledger's limit is set for the test");
    broker =
        Broker.start(
            TestBroker.inProcessConfig(dataDir).toBuilder().memoryLedgerBytes(LIMIT).build());
    publishing = TestBroker.connectionFactory("127.0.0.1", broker.amqpPort()).newConnection();
    other = TestBroker.connectionFactory("127.0.0.1", broker.amqpPort()).newConnection();
  }

  @AfterEach
  void stop() throws Exception {
    for (Connection c : new Connection[] {publishing, other}) {
      if (c != null && c.isOpen()) {
        c.abort(2_000);
      }
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void aPublisherPastTheLedgersLimitIsBlockedAtOnceAndGoesOnOnceMessagesAreConsumed()
      throws Exception {
    Watch watch = new Watch(publishing);
    Channel admin = other.createChannel();
    String q = admin.queueDeclare().getQueue();
    Channel p = publishing.createChannel();
    p.confirmSelect();
    int published = fillUntilBlocked(p, q, watch);
    assertEquals("low on memory", watch.reason);
    assertTrue(published < 40_000, "blocked after " + published + " messages");

    AtomicInteger consumed = new AtomicInteger();
    admin.basicConsume(
        q,
        true,
        new DefaultConsumer(admin) {
          @Override
          public void handleDelivery(
              String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
            consumed.incrementAndGet();
          }
        });
    Poll.until(WITHIN, () -> watch.unblocked.getCount() == 0, "connection.unblocked");
    for (int i = 0; i < 100; i++) {
      p.basicPublish("", q, null, Messages.bytes("after " + i));
    }
    assertTrue(p.waitForConfirms(WITHIN.toMillis()), "every publish confirmed");
    int total = published + 100;
    Poll.until(WITHIN, () -> consumed.get() == total, "all " + total + " messages consumed");
  }

  @Test
  void aConsumerThatMustAckWithoutPrefetchGetsNothingMoreWhileMemoryIsShort() throws Exception {
    Channel admin = other.createChannel();
    String waiting = admin.queueDeclare().getQueue();
    String windowed = admin.queueDeclare().getQueue();
    String filler = admin.queueDeclare().getQueue();
    for (int i = 0; i < 50; i++) {
      admin.basicPublish("", waiting, null, Messages.bytes("w" + i));
      admin.basicPublish("", windowed, null, Messages.bytes("p" + i));
    }
    Channel p = publishing.createChannel();
    p.confirmSelect();
    fillUntilBlocked(p, filler, new Watch(publishing));

    Channel unlimited = other.createChannel();
    AtomicInteger toUnlimited = new AtomicInteger();
    AtomicLong lastTag = new AtomicLong();
    unlimited.basicConsume(
        waiting,
        false,
        new DefaultConsumer(unlimited) {
          @Override
          public void handleDelivery(
              String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
            lastTag.set(envelope.getDeliveryTag());
            toUnlimited.incrementAndGet();
          }
        });
    Channel limited = other.createChannel();
    limited.basicQos(10);
    AtomicInteger toLimited = new AtomicInteger();
    limited.basicConsume(
        windowed,
        false,
        new DefaultConsumer(limited) {
          @Override
          public void handleDelivery(
              String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
            toLimited.incrementAndGet();
          }
        });
    Poll.until(WITHIN, () -> toLimited.get() == 10, "a consumer with a window fills it");
    Channel check = other.createChannel();
    assertEquals(50, check.queueDeclarePassive(waiting).getMessageCount(), "none delivered");
    assertEquals(0, toUnlimited.get());

    check.queuePurge(filler); // memory comes back
    Poll.until(WITHIN, () -> toUnlimited.get() == 50, "deliveries once memory is back");
    unlimited.basicAck(lastTag.get(), true);
  }

  /**
   * Publishes small messages to {@code queue} until the connection is blocked; returns how many.
   */
  private static int fillUntilBlocked(Channel p, String queue, Watch watch) throws Exception {
    AtomicLong confirmed = new AtomicLong();
    p.addConfirmListener((tag, multiple) -> confirmed.set(tag), (tag, multiple) -> {});
    int published = 0;
    while (watch.blocked.getCount() > 0) {
      if (published > 100_000) {
        fail("no connection.blocked after " + published + " messages");
      }
      for (int i = 0; i < 100; i++) {
        p.basicPublish("", queue, null, Messages.bytes("m" + published++));
      }
      long expected = published;
      Poll.until(
          WITHIN,
          () -> watch.blocked.getCount() == 0 || confirmed.get() == expected,
          "confirms or connection.blocked");
    }
    return published;
  }

  /** connection.blocked and unblocked as the client sees them. */
  private static final class Watch implements BlockedListener {
    final CountDownLatch blocked = new CountDownLatch(1);
    final CountDownLatch unblocked = new CountDownLatch(1);
    volatile String reason;

    Watch(Connection connection) {
      connection.addBlockedListener(this);
    }

    @Override
    public void handleBlocked(String why) {
      reason = why;
      blocked.countDown();
    }

    @Override
    public void handleUnblocked() {
      unblocked.countDown();
    }
  }
}
