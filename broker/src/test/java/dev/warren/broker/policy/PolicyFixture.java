package dev.warren.broker.policy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import dev.warren.broker.it.Poll;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's broker and admin ({@link PolicyAdmin}: Warren of its own, or RabbitMQ with
 * rabbitmqctl), a channel per test, and the undoing of what a test set or declared: policies,
 * limits and parameters are cleared and queues and exchanges deleted after each test, so that tests
 * do not see each other's (RabbitMQ's node is shared by the whole run). Register it as a static
 * {@code @RegisterExtension}; tests skip when they aim at a RabbitMQ without {@code
 * -Dbroker.rabbitmqctl}.
 */
final class PolicyFixture
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  static final Duration WAIT = Duration.ofSeconds(10);

  private Path dataDir;
  private PolicyAdmin admin;
  private Connection connection;
  private Channel channel;
  private final Deque<Undo> undo = new ArrayDeque<>();

  /** Something to take back after the test. */
  @FunctionalInterface
  interface Undo {
    void run() throws Exception;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dataDir = java.nio.file.Files.createTempDirectory("warren-policy-it-");
    admin = PolicyAdmin.open(dataDir);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (admin != null) {
      admin.close();
    }
    try (var paths = java.nio.file.Files.walk(dataDir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    assumeTrue(admin != null, "aiming at a RabbitMQ without -Dbroker.rabbitmqctl to set policies");
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    Exception first = null;
    while (!undo.isEmpty()) {
      try {
        undo.pop().run();
      } catch (Exception e) {
        first = first == null ? e : first;
      }
    }
    if (connection != null && connection.isOpen()) {
      connection.abort();
    }
    connection = null;
    channel = null;
    if (first != null) {
      throw first;
    }
  }

  PolicyAdmin admin() {
    return admin;
  }

  /** The admin of Warren's own broker; for Warren-only tests (call after assuming not external). */
  WarrenAdmin warren() {
    return (WarrenAdmin) admin;
  }

  /**
   * The test's channel on "/", opened on first use (so that tests of connection limits count only
   * the connections they open).
   */
  Channel channel() throws IOException {
    if (channel == null) {
      try {
        connection = admin.factory().newConnection();
      } catch (java.util.concurrent.TimeoutException e) {
        throw new IOException(e);
      }
      channel = connection.createChannel();
    }
    return channel;
  }

  /** Registers something to take back after the test (last registered, first undone). */
  void undo(Undo action) {
    undo.push(action);
  }

  void policy(
      String name, String pattern, String applyTo, int priority, Map<String, Object> definition) {
    admin.setPolicy(name, pattern, applyTo, priority, definition);
    undo(() -> admin.clearPolicy(name));
  }

  void operatorPolicy(
      String name, String pattern, String applyTo, int priority, Map<String, Object> definition) {
    admin.setOperatorPolicy(name, pattern, applyTo, priority, definition);
    undo(() -> admin.clearOperatorPolicy(name));
  }

  /** A queue, deleted after the test. */
  String queue(String name, Map<String, Object> arguments) throws IOException {
    return queue(name, false, arguments);
  }

  String queue(String name) throws IOException {
    return queue(name, Map.of());
  }

  String queue(String name, boolean durable, Map<String, Object> arguments) throws IOException {
    channel().queueDeclare(name, durable, false, false, arguments);
    undo(() -> deleteQueue(name));
    return name;
  }

  /** An exchange, deleted after the test. */
  String exchange(String name, String type, Map<String, Object> arguments) throws IOException {
    channel().exchangeDeclare(name, type, false, false, arguments);
    undo(
        () -> {
          try (Connection c = admin.factory().newConnection()) {
            c.createChannel().exchangeDelete(name);
          }
        });
    return name;
  }

  private void deleteQueue(String name) throws Exception {
    try (Connection c = admin.factory().newConnection()) {
      c.createChannel().queueDelete(name);
    }
  }

  /** A regular expression matching names that start with {@code prefix}. */
  static String startingWith(String prefix) {
    return "^" + prefix.replace(".", "\\.");
  }

  /** A regular expression matching exactly {@code name}. */
  static String exactly(String name) {
    return startingWith(name) + "$";
  }

  void publish(String queue, String body) throws IOException {
    channel().basicPublish("", queue, null, body.getBytes(StandardCharsets.UTF_8));
  }

  /** Publishes {@code body} on a confirming channel and returns whether it was acked. */
  boolean publishConfirmed(Channel confirming, String exchange, String key, String body)
      throws Exception {
    confirming.basicPublish(exchange, key, null, body.getBytes(StandardCharsets.UTF_8));
    return confirming.waitForConfirms(WAIT.toMillis());
  }

  Channel confirmingChannel() throws IOException {
    Channel ch = channel().getConnection().createChannel();
    ch.confirmSelect();
    return ch;
  }

  /** Ready messages, as queue.declare-ok counts them. */
  int count(String queue) throws IOException {
    return channel().queueDeclarePassive(queue).getMessageCount();
  }

  void awaitCount(String queue, int expected, String what) {
    Poll.until(WAIT, () -> count(queue) == expected, what);
  }

  /** The next message of the queue, waiting for it. */
  GetResponse awaitMessage(String queue) {
    GetResponse[] got = new GetResponse[1];
    Poll.until(
        WAIT, () -> (got[0] = channel().basicGet(queue, true)) != null, "a message in " + queue);
    return got[0];
  }

  static String text(GetResponse r) {
    return new String(r.getBody(), StandardCharsets.UTF_8);
  }

  /** Whether the queue exists (a passive declare on a channel of its own). */
  boolean exists(String queue) throws Exception {
    try (Connection c = admin.factory().newConnection()) {
      try {
        c.createChannel().queueDeclarePassive(queue);
        return true;
      } catch (IOException e) {
        return false;
      }
    }
  }

  /**
   * Whether a message sent to the queue's name reaches a queue: a mandatory publish on a confirming
   * channel, which comes back (basic.return, before its basic.ack) if not. Unlike a passive
   * declare, it does not count as a use of the queue ({@code expires}).
   */
  boolean routable(String queue) throws Exception {
    Channel ch = confirmingChannel();
    java.util.concurrent.atomic.AtomicBoolean returned =
        new java.util.concurrent.atomic.AtomicBoolean();
    ch.addReturnListener(r -> returned.set(true));
    ch.basicPublish("", queue, true, null, "probe".getBytes(StandardCharsets.UTF_8));
    ch.waitForConfirmsOrDie(WAIT.toMillis());
    ch.close();
    return !returned.get();
  }

  /** The first x-death entry's field, as text. */
  static String death(AMQP.BasicProperties props, String field) {
    Object deaths = props.getHeaders().get("x-death");
    Map<?, ?> first = (Map<?, ?>) ((java.util.List<?>) deaths).get(0);
    return String.valueOf(first.get(field));
  }
}
