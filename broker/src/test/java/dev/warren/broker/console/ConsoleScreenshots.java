package dev.warren.broker.console;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.MessageProperties;
import dev.warren.broker.Broker;
import dev.warren.broker.it.Poll;
import dev.warren.broker.it.TestBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;

/**
 * Takes the screenshots in docs/ (console-overview.png, console-queue.png) against a broker with a
 * minute of traffic: a publisher faster than its consumer, so that depths grow and every rate line
 * moves. Tagged {@code console-screenshots}, out of {@code mvn verify}; run with {@code
 * bin/console-screenshots}.
 */
@Tag("console-screenshots")
class ConsoleScreenshots {
  private static final Path DOCS = Path.of("..", "docs");

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void overviewAndQueuePageWithTraffic() throws Exception {
    Path dataDir = Files.createTempDirectory("warren-console-shots-");
    Broker broker = Broker.start(TestBroker.inProcessConfig(dataDir));
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    try (ConsoleBrowser browser =
            new ConsoleBrowser("http://127.0.0.1:" + broker.managementPort());
        Connection conn =
            TestBroker.connectionFactory("127.0.0.1", broker.amqpPort()).newConnection()) {
      Channel setup = conn.createChannel();
      setup.queueDeclare("orders", true, false, false, Map.of("x-max-length", 100_000));
      setup.queueDeclare("invoices", true, false, false, null);
      setup.queueDeclare("audit", true, false, false, null);
      setup.queueBind("audit", "amq.fanout", "");
      // A slow consumer (an ack every 4 ms, at most 20 unacked) behind a publisher of a message
      // every 3 ms (and a third of them to two more queues): the orders queue grows.
      Channel consumer = conn.createChannel();
      consumer.basicQos(20);
      Queue<Long> toAck = new ConcurrentLinkedQueue<>();
      consumer.basicConsume(
          "orders",
          false,
          "billing",
          new DefaultConsumer(consumer) {
            @Override
            public void handleDelivery(
                String tag, Envelope env, com.rabbitmq.client.AMQP.BasicProperties p, byte[] b) {
              toAck.add(env.getDeliveryTag());
            }
          });
      Channel pub = conn.createChannel();
      AtomicLong published = new AtomicLong();
      ticker.scheduleAtFixedRate(
          () -> {
            Long delivered = toAck.poll();
            try {
              if (delivered != null) {
                consumer.basicAck(delivered, false);
              }
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          },
          4,
          4,
          TimeUnit.MILLISECONDS);
      ticker.scheduleAtFixedRate(
          () -> {
            long i = published.getAndIncrement();
            byte[] body = ("order " + i).getBytes(StandardCharsets.UTF_8);
            try {
              pub.basicPublish("", "orders", MessageProperties.PERSISTENT_TEXT_PLAIN, body);
              if (i % 3 == 0) {
                pub.basicPublish("", "invoices", null, body);
                pub.basicPublish("amq.fanout", "", null, body);
              }
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          },
          0,
          3,
          TimeUnit.MILLISECONDS);
      browser.logIn("guest", "guest");
      // A minute of samples (one each 5 s) on the overview's ten-minute charts.
      Poll.letTimePass(Duration.ofSeconds(60));
      browser.go("#/");
      browser.waitFor(By.id("chart-rates"));
      browser.screenshot(DOCS.resolve("console-overview.png"));
      browser.go("#/queues/%2F/orders");
      browser.waitFor(By.id("chart-queue-depth"));
      // The queue page draws what it reads every 5 s while it is open.
      Poll.letTimePass(Duration.ofSeconds(40));
      browser.screenshot(DOCS.resolve("console-queue.png"));
    } finally {
      ticker.shutdownNow();
      broker.close();
      try (Stream<Path> paths = Files.walk(dataDir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
