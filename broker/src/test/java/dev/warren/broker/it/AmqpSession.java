package dev.warren.broker.it;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Per-test AMQP resources, registered with {@code @RegisterExtension}: one connection and channel
 * opened before each test, every connection the test opened closed after it, and every queue and
 * exchange it created deleted, so that tests stay independent against one long-lived broker.
 *
 * <p>Names carry a random suffix. Owned by the JUnit thread running the test.
 */
public final class AmqpSession implements BeforeEachCallback, AfterEachCallback {
  private final List<Connection> connections = new ArrayList<>();
  private final Set<String> queues = new LinkedHashSet<>();
  private final Set<String> exchanges = new LinkedHashSet<>();
  private Connection connection;
  private Channel channel;
  private Channel publisher;

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    connection = newConnection();
    channel = connection.createChannel();
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    for (Connection c : connections) {
      if (c.isOpen()) {
        c.abort(2_000);
      }
    }
    connections.clear();
    publisher = null;
    if (queues.isEmpty() && exchanges.isEmpty()) {
      return;
    }
    try (Connection cleanup = TestBroker.newConnection()) {
      Channel ch = cleanup.createChannel();
      for (String q : queues) {
        ch = openIfClosed(cleanup, ch);
        try {
          ch.queueDelete(q);
        } catch (IOException e) {
          // already gone with its exclusive owner, or never declared because the test failed early
        }
      }
      for (String x : exchanges) {
        ch = openIfClosed(cleanup, ch);
        try {
          ch.exchangeDelete(x);
        } catch (IOException e) {
          // as above
        }
      }
    }
    queues.clear();
    exchanges.clear();
  }

  private static Channel openIfClosed(Connection c, Channel ch) throws IOException {
    return ch.isOpen() ? ch : c.createChannel();
  }

  /** The connection opened for this test. */
  public Connection connection() {
    return connection;
  }

  /** A channel on {@link #connection()}, opened for this test. */
  public Channel channel() {
    return channel;
  }

  /**
   * A channel in confirm mode on {@link #connection()}. Queue statistics (declare-ok counts) and
   * other channels may overtake a publish that is not yet confirmed, so tests that look at a queue
   * from anywhere but the publishing channel publish with {@link #publish} first.
   */
  public Channel publisher() throws IOException {
    if (publisher == null || !publisher.isOpen()) {
      publisher = connection.createChannel();
      publisher.confirmSelect();
    }
    return publisher;
  }

  /** Publishes the texts to {@code queue} via the default exchange and waits for their confirms. */
  public void publish(String queue, String... texts) throws Exception {
    Messages.publish(publisher(), queue, texts);
    publisher().waitForConfirmsOrDie(5_000);
  }

  /** Publishes "1".."n" to {@code queue} via the default exchange and waits for their confirms. */
  public void publishNumbered(String queue, int n) throws Exception {
    Messages.publishNumbered(publisher(), queue, n);
    publisher().waitForConfirmsOrDie(5_000);
  }

  /** Another connection, closed after the test. */
  public Connection newConnection() throws IOException, TimeoutException {
    Connection c = TestBroker.newConnection();
    connections.add(c);
    return c;
  }

  /** A fresh name such as {@code it.queue.3f2a…}; nothing is declared. */
  public static String uniqueName(String prefix) {
    return "it." + prefix + "." + UUID.randomUUID().toString().substring(0, 13);
  }

  /** Remembers a queue name for deletion after the test and returns it. */
  public String trackQueue(String name) {
    queues.add(name);
    return name;
  }

  /** Remembers an exchange name for deletion after the test and returns it. */
  public String trackExchange(String name) {
    exchanges.add(name);
    return name;
  }

  /** A fresh queue name, deleted after the test; nothing is declared. */
  public String queueName() {
    return trackQueue(uniqueName("queue"));
  }

  /** A fresh exchange name, deleted after the test; nothing is declared. */
  public String exchangeName() {
    return trackExchange(uniqueName("exchange"));
  }

  /** Declares a non-durable, non-exclusive, non-auto-delete queue, deleted after the test. */
  public String declareQueue() throws IOException {
    return declareQueue(Map.of());
  }

  /** As {@link #declareQueue()}, with arguments. */
  public String declareQueue(Map<String, Object> arguments) throws IOException {
    String name = queueName();
    channel.queueDeclare(name, false, false, false, arguments);
    return name;
  }

  /** Declares a non-durable, non-auto-delete exchange of that type, deleted after the test. */
  public String declareExchange(String type) throws IOException {
    String name = exchangeName();
    channel.exchangeDeclare(name, type, false, false, null);
    return name;
  }
}
