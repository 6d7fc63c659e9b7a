package dev.warren.ctl;

import dev.warren.management.InMemoryBackend;
import dev.warren.management.ManagementConfig;
import dev.warren.management.ManagementServer;
import dev.warren.management.spi.BindingInfo;
import dev.warren.management.spi.ChannelInfo;
import dev.warren.management.spi.ConnectionInfo;
import dev.warren.management.spi.ConsumerInfo;
import dev.warren.management.spi.ExchangeSpec;
import dev.warren.management.spi.MessageCounters;
import dev.warren.management.spi.OutboundMessage;
import dev.warren.management.spi.QueueSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.opentest4j.AssertionFailedError;

/**
 * Serves management-ui's API on port 0 over an {@link InMemoryBackend} and runs warrenctl's main
 * entry ({@link Warrenctl#execute}) in-process against it, as a user would run bin/warrenctl with
 * WARRENCTL_URL pointing there.
 *
 * <p>The expected outputs in the tests were recorded from rabbitmqctl 3.10.8 (Debian's package)
 * against a RabbitMQ 3.10.8 node holding the same objects; where warrenctl must differ (process
 * ids, which the HTTP API does not expose), the test says so.
 */
abstract class CtlTestSupport {
  InMemoryBackend backend;
  ManagementServer server;

  /** One run of the CLI: its exit status and everything it printed. */
  record Run(int exitCode, String out, String err) {}

  @BeforeEach
  void startApi() throws InterruptedException {
    backend = new InMemoryBackend();
    server = ManagementServer.start(ManagementConfig.defaults("127.0.0.1", 0), backend);
  }

  @AfterEach
  void stopApi() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /** Stops the API now (the broker goes away); returns the URL it was served at. */
  String stopApiNow() {
    String url = url();
    stopApi();
    return url;
  }

  String url() {
    return "http://127.0.0.1:" + server.port();
  }

  /** Runs warrenctl with these arguments, WARRENCTL_URL set to the test API, nothing on stdin. */
  Run ctl(String... args) {
    return ctlWithInput("", args);
  }

  /** Runs warrenctl with {@code stdin} as its standard input. */
  Run ctlWithInput(String stdin, String... args) {
    return run(Map.of("WARRENCTL_URL", url()), stdin, args);
  }

  /** Runs warrenctl with exactly this environment. */
  static Run run(Map<String, String> env, String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Warrenctl.execute(
            args,
            env,
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Fails unless {@code text} contains {@code expected}, showing both. */
  static void assertContains(String expected, String text) {
    if (!text.contains(expected)) {
      throw new AssertionFailedError("expected to find <" + expected + "> in <" + text + ">");
    }
  }

  /** Lines joined with '\n' and a final '\n', as a command prints them. */
  static String lines(String... lines) {
    return String.join("\n", lines) + "\n";
  }

  // ---- the objects the tests list, as in the RabbitMQ node the outputs were recorded from ----

  void declareQueue(String vhost, String name, Map<String, Object> arguments) {
    backend.declareQueue(new QueueSpec(vhost, name, true, false, arguments));
  }

  void declareExchange(String vhost, String name, String type, Map<String, Object> arguments) {
    backend.declareExchange(new ExchangeSpec(vhost, name, type, true, false, false, arguments));
  }

  void bind(String source, String queue, String routingKey, Map<String, Object> arguments) {
    backend.bind(
        new BindingInfo(
            "/", source, queue, BindingInfo.DestinationType.QUEUE, routingKey, arguments));
  }

  void publish(String queue, String body) {
    backend.publish(
        new OutboundMessage(
            "guest", "/", "", queue, Map.of(), body.getBytes(StandardCharsets.UTF_8)));
  }

  /** The name of the connection {@link #openConnection} opens, RabbitMQ's form of it. */
  static final String CONNECTION = "127.0.0.1:54768 -> 127.0.0.1:5693";

  /**
   * A client connected as guest to "/" with two channels, the second consuming from q.args with tag
   * ctag-1 and prefetch 5: what the Java client's program did on the RabbitMQ node.
   */
  void openConnection() {
    backend.connections.put(
        CONNECTION,
        new ConnectionInfo(
            CONNECTION,
            "/",
            "guest",
            "AMQP 0-9-1",
            "127.0.0.1",
            5693,
            "127.0.0.1",
            54768,
            "running",
            2,
            2047,
            131072,
            60,
            "PLAIN",
            null,
            clientProperties(),
            "fixture",
            0,
            0,
            0,
            0,
            0,
            0));
    openChannel(1, 0, 0);
    openChannel(2, 5, 1);
    backend.consumers.add(
        new ConsumerInfo(
            "/", "q.args", "ctag-1", CONNECTION + " (2)", true, false, 5, true, "up", Map.of()));
  }

  /** The client's properties in the order it sent them (RabbitMQ prints them in that order). */
  private static Map<String, Object> clientProperties() {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("connection_name", "fixture");
    properties.put("capabilities", Map.of("basic.nack", true));
    return properties;
  }

  private void openChannel(int number, int prefetch, int consumers) {
    String name = CONNECTION + " (" + number + ")";
    backend.channels.put(
        name,
        new ChannelInfo(
            name,
            CONNECTION,
            "127.0.0.1",
            54768,
            number,
            "/",
            "guest",
            "running",
            prefetch,
            0,
            consumers,
            0,
            0,
            0,
            0,
            false,
            false,
            0,
            MessageCounters.ZERO));
  }

  /**
   * Queues orders (4 messages) and q.args (x-max-length 10), exchanges logs (fanout) and x.args
   * (topic, alternate-exchange logs), bound logs -> orders and x.args -> q.args ("a.#", x-match
   * all).
   */
  void declareTopology() {
    declareQueue("/", "orders", Map.of());
    declareQueue("/", "q.args", Map.of("x-max-length", 10));
    declareExchange("/", "logs", "fanout", Map.of());
    declareExchange("/", "x.args", "topic", Map.of("alternate-exchange", "logs"));
    bind("logs", "orders", "", Map.of());
    bind("x.args", "q.args", "a.#", Map.of("x-match", "all"));
    for (int i = 1; i <= 4; i++) {
      publish("orders", "message " + i);
    }
  }
}
