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
import dev.warren.broker.tls.TlsConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
    assertEquals(15692, c.prometheusPort());
    assertEquals(Path.of("data"), c.dataDir());
    assertEquals(131072, c.frameMax());
    assertEquals(2047, c.channelMax());
    assertEquals(60, c.heartbeatSeconds());
    assertEquals(10_000, c.handshakeTimeoutMillis());
  }

  @Test
  void prometheusPortIsAPortZeroForAFreeOneOrOff() throws Exception {
    assertEquals(9419, Launcher.parse(new String[] {"--prometheus-port", "9419"}).prometheusPort());
    assertEquals(0, Launcher.parse(new String[] {"--prometheus-port", "0"}).prometheusPort());
    assertEquals(
        BrokerConfig.OFF,
        Launcher.parse(new String[] {"--prometheus-port", "off"}).prometheusPort());
    assertThrows(
        IllegalArgumentException.class,
        () -> Launcher.parse(new String[] {"--prometheus-port", "-1"}));
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
    Process broker =
        launch(
            "--amqp-port",
            "0",
            "--management-port",
            "0",
            "--prometheus-port",
            "0",
            "--definitions",
            definitions.toString(),
            "--data-dir",
            dir.resolve("data").toString());
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
  void aPortInUseEndsTheProcessWithItsReasonInsteadOfLeavingItRunning() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Process broker =
          launch(
              "--bind-address",
              "127.0.0.1",
              "--amqp-port",
              String.valueOf(taken.getLocalPort()),
              "--management-port",
              "0",
              "--prometheus-port",
              "0",
              "--data-dir",
              dir.resolve("data").toString());
      try {
        BufferedReader log =
            new BufferedReader(
                new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8));
        String output = CompletableFuture.supplyAsync(() -> readAll(log)).get(30, TimeUnit.SECONDS);
        assertTrue(broker.waitFor(10, TimeUnit.SECONDS), "the broker exits");
        assertEquals(1, broker.exitValue(), output);
        assertTrue(output.contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()), output);
      } finally {
        broker.destroyForcibly();
      }
    }
  }

  @Test
  void unknownFlagsMissingValuesAndUnknownFileKeysAreRefusedByName() throws Exception {
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class,
            () -> Launcher.parse(new String[] {"--amqp-prot", "5672"}));
    assertTrue(unknown.getMessage().contains("'--amqp-prot'"), unknown.getMessage());
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class, () -> Launcher.parse(new String[] {"--amqp-port"}));
    assertTrue(missing.getMessage().contains("'--amqp-port'"), missing.getMessage());
    IllegalArgumentException bareSwitch =
        assertThrows(
            IllegalArgumentException.class,
            () -> Launcher.parse(new String[] {"--tls-fail-if-no-peer-cert", "--amqp-port", "0"}));
    assertEquals(
        "tls-fail-if-no-peer-cert needs tls-verify peer",
        bareSwitch.getMessage(),
        "a switch standing alone before another flag is true");
    Path file = dir.resolve("typo.properties");
    Files.writeString(file, "amqp-prot=5672\n");
    IllegalArgumentException inFile =
        assertThrows(
            IllegalArgumentException.class,
            () -> Launcher.parse(new String[] {"--config", file.toString()}));
    assertEquals("unknown setting 'amqp-prot'", inFile.getMessage());
  }

  @Test
  void theClusterFlagsMakeANodeOfACluster() throws Exception {
    assertNull(Launcher.parse(new String[0]).cluster(), "a single node without them");
    BrokerConfig c =
        Launcher.parse(
            new String[] {
              "--node-name", "n1",
              "--cluster-address", "127.0.0.1:25672",
              "--cluster-peers", "n1@127.0.0.1:25672,n2@127.0.0.1:25673,n3@127.0.0.1:25674"
            });
    assertEquals("n1", c.cluster().nodeName());
    assertEquals(25672, c.cluster().port());
    assertEquals(3, c.cluster().peers().size());
    assertThrows(
        IllegalArgumentException.class,
        () -> Launcher.parse(new String[] {"--node-name", "n1"}),
        "one flag without the others");
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Launcher.parse(
                new String[] {
                  "--node-name", "n4",
                  "--cluster-address", "127.0.0.1:25672",
                  "--cluster-peers", "n1@127.0.0.1:25672"
                }),
        "a node that is not among the peers");
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
  void tlsFlagsSetUpTheAmqpsListenerBesideThePlainOne() throws Exception {
    BrokerConfig c =
        Launcher.parse(
            new String[] {
              "--amqps-port",
              "5671",
              "--tls-cert",
              "/etc/warren/server.pem",
              "--tls-key",
              "/etc/warren/server.key",
              "--tls-ca",
              "/etc/warren/ca.pem",
              "--tls-verify",
              "peer",
              "--tls-fail-if-no-peer-cert",
              "--tls-versions",
              "tlsv1.2"
            });
    TlsConfig tls = c.tls();
    assertTrue(tls.enabled());
    assertEquals(5672, c.amqpPort());
    assertEquals(5671, tls.port());
    assertEquals(Path.of("/etc/warren/server.pem"), tls.certChain());
    assertEquals(Path.of("/etc/warren/server.key"), tls.key());
    assertEquals(Path.of("/etc/warren/ca.pem"), tls.ca());
    assertEquals(TlsConfig.Verify.PEER, tls.verify());
    assertTrue(tls.failIfNoPeerCert());
    assertEquals(List.of("TLSv1.2"), tls.versions());
    assertEquals(TlsConfig.CertLogin.COMMON_NAME, tls.certLogin());
    assertFalse(Launcher.parse(new String[0]).tls().enabled(), "TLS is off by default");
  }

  @Test
  void tlsSettingsThatCannotWorkAreRefusedBeforeStart() {
    List<String[]> refused =
        List.of(
            new String[] {"--tls-ca", "ca.pem"},
            new String[] {"--tls-cert", "server.pem"},
            new String[] {"--tls-cert", "s.pem", "--tls-key", "s.key", "--tls-verify", "peer"},
            new String[] {"--tls-cert", "s.pem", "--tls-key", "s.key", "--tls-versions", "tlsv1.1"},
            new String[] {"--tls-cert", "s.pem", "--tls-key", "s.key", "--tls-verify", "maybe"},
            new String[] {
              "--tls-cert", "s.pem", "--tls-key", "s.key", "--tls-fail-if-no-peer-cert", "true"
            });
    for (String[] args : refused) {
      assertThrows(
          IllegalArgumentException.class, () -> Launcher.parse(args), () -> String.join(" ", args));
    }
  }

  @Test
  void aMissingCertificateFileEndsTheProcessWithAOneLineError() throws Exception {
    Path missing = dir.resolve("no-such.pem");
    Process broker =
        launch(
            "--amqp-port",
            "0",
            "--management-port",
            "0",
            "--prometheus-port",
            "0",
            "--amqps-port",
            "0",
            "--tls-cert",
            missing.toString(),
            "--tls-key",
            missing.toString(),
            "--data-dir",
            dir.resolve("data").toString());
    try {
      assertTrue(broker.waitFor(30, TimeUnit.SECONDS), "the broker exits at once");
      String output = new String(broker.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(1, broker.exitValue(), output);
      assertTrue(output.contains("error: tls-cert " + missing + ": no such file"), output);
      assertFalse(output.contains("Exception") || output.contains("\tat "), output);
      assertFalse(Files.exists(dir.resolve("data")), "nothing was opened");
    } finally {
      broker.destroyForcibly();
    }
  }

  private static Process launch(String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(
            List.of(java, "-cp", System.getProperty("java.class.path"), Launcher.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  @Test
  void processOnPortZeroLogsItsPortServesClientsAndStopsCleanlyOnSigterm() throws Exception {
    Process broker =
        launch(
            "--amqp-port",
            "0",
            "--management-port",
            "0",
            "--prometheus-port",
            "0",
            "--data-dir",
            dir.resolve("data").toString());
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
