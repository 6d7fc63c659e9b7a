package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.warren.broker.Broker;
import dev.warren.broker.BrokerConfig;
import io.netty.buffer.PooledByteBufAllocator;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resource alarms, as RabbitMQ applies them: under a memory or disk alarm a connection that
 * publishes gets connection.blocked and its publishes wait unprocessed; connections that only
 * consume keep draining; when the memory alarm clears the publisher gets connection.unblocked and
 * nothing published was lost. A publish over the management API is refused (503) meanwhile.
 *
 * <p>Warren-only and in-process only: each test starts its own broker with limits that force the
 * alarm (the broker checks twice a second), which no external broker lets a test configure.
 */
class ResourceAlarmTest {
  private static final Duration WITHIN = Duration.ofSeconds(10);
  private static final long MARGIN = 48L * 1024 * 1024;

  @TempDir Path dataDir;
  private Broker broker;
  private Connection publishing;
  private Connection consuming;

  @BeforeEach
  void inProcessOnly() {
    assumeFalse(
        TestBroker.isExternal(),
        "Warren-only: needs a second in-process broker with forced memory and disk limits");
  }

  @AfterEach
  void stop() throws Exception {
    for (Connection c : new Connection[] {publishing, consuming}) {
      if (c != null && c.isOpen()) {
        c.abort(2_000);
      }
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void memoryAlarmBlocksThePublisherLetsConsumersDrainAndUnblocksWithNothingLost()
      throws Exception {
    System.gc();
    long limit = memoryInUse() + MARGIN;
    start(b -> b.memoryHighWatermarkBytes(limit));
    Watch watch = new Watch(publishing);
    Channel admin = consuming.createChannel();
    // Deliveries a consumer has not acked stay in memory (a ready backlog would be paged out to
    // disk and never reach the watermark).
    String q = admin.queueDeclare().getQueue();
    String marker = admin.queueDeclare().getQueue();
    Channel holder = consuming.createChannel();
    AtomicInteger delivered = new AtomicInteger();
    AtomicLong lastTag = new AtomicLong();
    holder.basicConsume(
        q,
        false,
        new DefaultConsumer(holder) {
          @Override
          public void handleDelivery(
              String tag, Envelope envelope, AMQP.BasicProperties props, byte[] bytes) {
            lastTag.set(envelope.getDeliveryTag());
            delivered.incrementAndGet();
          }
        });

    Channel p = publishing.createChannel();
    p.confirmSelect();
    AtomicLong acked = new AtomicLong();
    AtomicInteger nacked = new AtomicInteger();
    p.addConfirmListener(
        (tag, multiple) -> acked.set(Math.max(acked.get(), tag)),
        (tag, multiple) -> nacked.incrementAndGet());
    byte[] body = new byte[64 * 1024];
    int published = 0;
    while (watch.blocked.getCount() > 0) {
      if (published >= 4 * MARGIN / body.length) {
        fail("no connection.blocked after publishing " + published * body.length + " bytes");
      }
      for (int i = 0; i < 16; i++) {
        p.basicPublish("", q, null, body);
      }
      published += 16;
      long expected = published;
      Poll.until(
          WITHIN,
          () -> watch.blocked.getCount() == 0 || acked.get() == expected,
          "confirms or connection.blocked");
    }
    assertEquals("low on memory", watch.reason.get());

    p.basicPublish("", marker, null, Messages.bytes("sent while blocked"));
    Poll.letTimePass(Duration.ofSeconds(1));
    assertEquals(0, Messages.readyCount(admin, marker), "a blocked connection's publish waits");

    // The consumer settles what it holds (the last publishes may still wait in the socket).
    holder.basicAck(lastTag.get(), true);
    Poll.until(
        Duration.ofSeconds(20),
        () -> {
          System.gc(); // the broker counts heap as measured after a collection
          return watch.unblocked.getCount() == 0;
        },
        "the publisher to be unblocked once the consumer acked what it held");
    int total = published;
    Poll.until(WITHIN, () -> delivered.get() == total, "all " + total + " messages delivered");
    holder.basicAck(lastTag.get(), true);
    assertTrue(p.waitForConfirms(WITHIN.toMillis()), "every publish acked");
    assertEquals(0, nacked.get());
    assertEquals(1, Messages.readyCount(admin, marker), "the waiting publish went through");
  }

  @Test
  void diskAlarmBlocksAPublisherAtItsFirstPublishWhileConsumingConnectionsKeepWorking()
      throws Exception {
    start(b -> b.diskFreeLimitBytes(Long.MAX_VALUE));
    Watch publisherWatch = new Watch(publishing);
    Watch consumerWatch = new Watch(consuming);
    Channel admin = consuming.createChannel();
    String q = admin.queueDeclare().getQueue();
    Poll.letTimePass(Duration.ofSeconds(1));
    assertEquals(1, publisherWatch.blocked.getCount(), "not blocked before it publishes");

    Channel p = publishing.createChannel();
    p.basicPublish("", q, null, Messages.bytes("held back"));
    assertTrue(publisherWatch.blocked.await(WITHIN.toMillis(), TimeUnit.MILLISECONDS));
    assertEquals("low on disk", publisherWatch.reason.get());
    Poll.letTimePass(Duration.ofSeconds(1));
    assertEquals(0, Messages.readyCount(admin, q), "the publish is not processed");
    assertNull(admin.basicGet(q, true));
    assertEquals(1, consumerWatch.blocked.getCount(), "a connection that never publishes");
  }

  @Test
  void publishOverHttpIsRefusedWhileAnAlarmBlocksPublishers() throws Exception {
    start(b -> b.diskFreeLimitBytes(Long.MAX_VALUE));
    Channel admin = consuming.createChannel();
    String q = admin.queueDeclare().getQueue();
    HttpRequest publish =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:"
                        + broker.managementPort()
                        + "/api/exchanges/%2F/amq.default/publish"))
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString("guest:guest".getBytes(StandardCharsets.UTF_8)))
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"routing_key\":\""
                        + q
                        + "\",\"properties\":{},\"payload\":\"x\",\"payload_encoding\":\"string\"}"))
            .build();
    HttpClient http = HttpClient.newHttpClient();
    Poll.until(
        WITHIN,
        () -> http.send(publish, HttpResponse.BodyHandlers.ofString()).statusCode() == 503,
        "503 once the disk alarm is set");
    HttpResponse<String> refused = http.send(publish, HttpResponse.BodyHandlers.ofString());
    assertEquals(
        "{\"error\":\"service_unavailable\",\"reason\":\"resource alarm in effect (low on"
            + " disk): publishing is blocked until it clears\"}",
        refused.body());
    assertEquals(0, Messages.readyCount(admin, q), "nothing was enqueued");
  }

  private void start(UnaryOperator<BrokerConfig.Builder> limits) throws Exception {
    BrokerConfig.Builder builder =
        BrokerConfig.defaults().toBuilder()
            .amqpPort(0)
            .managementPort(0)
            .prometheusPort(0)
            .dataDir(dataDir);
    broker = Broker.start(limits.apply(builder).build());
    ConnectionFactory factory = TestBroker.connectionFactory();
    factory.setHost("127.0.0.1");
    factory.setPort(broker.amqpPort());
    publishing = factory.newConnection();
    consuming = factory.newConnection();
  }

  /** What Warren counts as memory in use: pooled direct memory plus heap after the last GC. */
  private static long memoryInUse() {
    long used = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage afterGc = pool.getCollectionUsage();
      if (pool.getType() == MemoryType.HEAP && afterGc != null) {
        used += afterGc.getUsed();
      }
    }
    return used;
  }

  /** Records connection.blocked / unblocked; callbacks run on the client's connection thread. */
  private static final class Watch {
    final CountDownLatch blocked = new CountDownLatch(1);
    final CountDownLatch unblocked = new CountDownLatch(1);
    final AtomicReference<String> reason = new AtomicReference<>();

    Watch(Connection connection) {
      connection.addBlockedListener(
          why -> {
            reason.set(why);
            blocked.countDown();
          },
          unblocked::countDown);
    }
  }
}
