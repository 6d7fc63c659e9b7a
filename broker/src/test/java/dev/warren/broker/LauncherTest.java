package dev.warren.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.warren.broker.it.TestBroker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher: settings from defaults, file and flags; a real process started and stopped. */
class LauncherTest {
  private static final Pattern LISTENING = Pattern.compile("AMQP listening on .*:(\\d+) ");

  @TempDir Path dir;

  @Test
  void defaultsAreRabbitMqsPortsAndLimits() throws Exception {
    BrokerConfig c = Launcher.parse(new String[0]);
    assertEquals(5672, c.amqpPort());
    assertEquals(15672, c.managementPort());
    assertEquals(Path.of("data"), c.dataDir());
    assertEquals(131072, c.frameMax());
    assertEquals(2047, c.channelMax());
    assertEquals(60, c.heartbeatSeconds());
    assertEquals(10_000, c.handshakeTimeoutMillis());
  }

  @Test
  void handshakeTimeoutIsSetInMillisecondsAndMustBePositive() throws Exception {
    Path file = dir.resolve("broker.properties");
    Files.writeString(file, "handshake-timeout=2500\n");
    assertEquals(
        2500, Launcher.parse(new String[] {"--config", file.toString()}).handshakeTimeoutMillis());
    assertEquals(
        500, Launcher.parse(new String[] {"--handshake-timeout", "500"}).handshakeTimeoutMillis());
    assertThrows(
        IllegalArgumentException.class,
        () -> Launcher.parse(new String[] {"--handshake-timeout", "0"}));
  }

  @Test
  void flagsOverrideTheConfigFileWhateverTheirOrder() throws Exception {
    Path file = dir.resolve("broker.properties");
    Files.writeString(file, "amqp-port=6000\nheartbeat=10\ndata-dir=/var/lib/warren\n");
    BrokerConfig c = Launcher.parse(new String[] {"--amqp-port", "0", "--config", file.toString()});
    assertEquals(0, c.amqpPort());
    assertEquals(10, c.heartbeatSeconds());
    assertEquals(Path.of("/var/lib/warren"), c.dataDir());
  }

  @Test
  void definitionsFileComesFromTheFlagOrTheConfigFile() throws Exception {
    assertNull(Launcher.parse(new String[0]).definitionsFile(), "none by default");
    assertEquals(
        Path.of("/etc/warren/definitions.json"),
        Launcher.parse(new String[] {"--definitions", "/etc/warren/definitions.json"})
            .definitionsFile());
    Path file = dir.resolve("broker.properties");
    Files.writeString(file, "definitions=defs.json\n");
    assertEquals(
        Path.of("defs.json"),
        Launcher.parse(new String[] {"--config", file.toString()}).definitionsFile());
  }

  @Test
  void processWithABadDefinitionsFileLogsTheBadEntryAndExitsWithoutServing() throws Exception {
    Path definitions = dir.resolve("definitions.json");
    Files.writeString(definitions, "{\"exchanges\":[{\"name\":\"x\",\"vhost\":\"/\"}]}");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process broker =
        new ProcessBuilder(
                List.of(
                    java,
                    "-cp",
                    System.getProperty("java.class.path"),
                    Launcher.class.getName(),
                    "--amqp-port",
                    "0",
                    "--management-port",
                    "0",
                    "--definitions",
                    definitions.toString(),
                    "--data-dir",
                    dir.resolve("data").toString()))
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader log =
          new BufferedReader(
              new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8));
      String output = CompletableFuture.supplyAsync(() -> readAll(log)).get(30, TimeUnit.SECONDS);
      assertTrue(broker.waitFor(10, TimeUnit.SECONDS));
      assertEquals(1, broker.exitValue(), output);
      assertTrue(output.contains("exchanges[0].type is missing"), output);
      assertFalse(output.contains("AMQP listening"), output);
    } finally {
      broker.destroyForcibly();
    }
  }

  @Test
  void unknownSettingsAndBadNumbersAreRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> Launcher.parse(new String[] {"--amqp-prot", "1"}));
    assertThrows(
        IllegalArgumentException.class, () -> Launcher.parse(new String[] {"--amqp-port", "x"}));
    assertThrows(
        IllegalArgumentException.class,
        () -> Launcher.parse(new String[] {"--amqp-port", "70000"}));
    assertThrows(
        IllegalArgumentException.class, () -> Launcher.parse(new String[] {"--heartbeat"}));
  }

  @Test
  void processOnPortZeroLogsItsPortServesClientsAndStopsCleanlyOnSigterm() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process broker =
        new ProcessBuilder(
                List.of(
                    java,
                    "-cp",
                    System.getProperty("java.class.path"),
                    Launcher.class.getName(),
                    "--amqp-port",
                    "0",
                    "--management-port",
                    "0",
                    "--data-dir",
                    dir.resolve("data").toString()))
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader log =
          new BufferedReader(
              new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8));
      int port = CompletableFuture.supplyAsync(() -> boundPort(log)).get(30, TimeUnit.SECONDS);

      ConnectionFactory factory = TestBroker.connectionFactory("127.0.0.1", port);
      try (Connection connection = factory.newConnection()) {
        Channel ch = connection.createChannel();
        String q = ch.queueDeclare().getQueue();
        ch.basicPublish("", q, null, "hello".getBytes(StandardCharsets.UTF_8));
        GetResponse got = ch.basicGet(q, true);
        assertNotNull(got);
        assertEquals("hello", new String(got.getBody(), StandardCharsets.UTF_8));
      }

      broker.toHandle().destroy(); // SIGTERM, leaving our end of its output open
      assertTrue(broker.waitFor(30, TimeUnit.SECONDS), "the broker exits after SIGTERM");
      String rest = CompletableFuture.supplyAsync(() -> readAll(log)).get(10, TimeUnit.SECONDS);
      assertTrue(rest.contains("broker stopped"), rest);
      assertTrue(Files.isDirectory(dir.resolve("data")), "the data directory was created");
    } finally {
      broker.destroyForcibly();
    }
  }

  private static int boundPort(BufferedReader log) {
    try {
      for (String line = log.readLine(); line != null; line = log.readLine()) {
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          return Integer.parseInt(m.group(1));
        }
      }
      throw new IllegalStateException("the broker ended without logging its port");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String readAll(BufferedReader log) {
    StringBuilder out = new StringBuilder();
    try {
      for (String line = log.readLine(); line != null; line = log.readLine()) {
        out.append(line).append('\n');
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }
}
