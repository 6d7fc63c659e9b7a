package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.warren.broker.Broker;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that does not open its connection in time is disconnected, whatever step of the
 * handshake it stopped at (RabbitMQ's handshake_timeout, 10 s by default, counted from the accept).
 * In-process the tests start a broker of their own with a short timeout; against an external
 * RabbitMQ, which they cannot configure, they wait out its default.
 */
class HandshakeTimeoutTest {
  /** RabbitMQ's default handshake_timeout. */
  private static final Duration RABBITMQ_DEFAULT = Duration.ofSeconds(10);

  /** Long enough to connect 200 sockets, short enough not to slow the suite. */
  private static final Duration IN_PROCESS = Duration.ofSeconds(1);

  /** Slack for the broker's timer and a busy machine; never subtracted from the timeout. */
  private static final Duration LATE = Duration.ofSeconds(5);

  @TempDir static Path dataDir;

  private static Broker broker;
  private static InetSocketAddress address;
  private static Duration timeout;

  @BeforeAll
  static void startBroker() {
    if (TestBroker.isExternal()) {
      address = TestBroker.address();
      timeout = RABBITMQ_DEFAULT;
      return;
    }
    broker =
        Broker.start(
            TestBroker.inProcessConfig(dataDir).toBuilder()
                .handshakeTimeoutMillis(IN_PROCESS.toMillis())
                .build());
    address = InetSocketAddress.createUnresolved("127.0.0.1", broker.amqpPort());
    timeout = IN_PROCESS;
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  /** The steps a client can stop after, before connection.open-ok. */
  private enum Stop {
    BEFORE_SENDING_ANYTHING,
    WITHIN_THE_PROTOCOL_HEADER,
    AFTER_THE_PROTOCOL_HEADER,
    AFTER_START_OK,
    AFTER_TUNE_OK
  }

  @Test
  void clientStoppingAtAnyStepBeforeOpenIsDisconnectedAfterTheTimeoutAndAnOpenOneIsNot()
      throws Exception {
    long start = System.nanoTime();
    List<RawAmqpClient> stalled = new ArrayList<>();
    try (RawAmqpClient open = RawAmqpClient.open(address, 2047, 131072, 0)) {
      for (Stop stop : Stop.values()) {
        stalled.add(stallAt(stop));
      }
      for (int i = 0; i < stalled.size(); i++) {
        assertTrue(
            stalled.get(i).closedByBrokerWithin(remaining(start, timeout.plus(LATE))),
            Stop.values()[i] + ": still connected");
        assertNotBefore(start, Stop.values()[i].toString());
      }
      open.openChannel(1);
    } finally {
      for (RawAmqpClient c : stalled) {
        c.close();
      }
    }
  }

  /**
   * Idle sockets cost the broker nothing once the timeout has passed: it closes every one of them,
   * and (in-process, where the test can see the broker's sockets) holds none of them any longer.
   */
  @Test
  void twoHundredIdleSocketsAreAllClosedByTheBrokerAndReleased() throws Exception {
    int count = 200;
    long start = System.nanoTime();
    List<RawAmqpClient> idle = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        idle.add(RawAmqpClient.connect(address));
      }
      if (broker != null) {
        Poll.until(
            timeout,
            () -> BrokerSockets.count(broker.amqpPort()) == count,
            "the broker to hold all " + count + " sockets");
      }
      for (int i = 0; i < count; i++) {
        assertTrue(
            idle.get(i).closedByBrokerWithin(remaining(start, timeout.plus(LATE))),
            "socket " + i + " still connected");
      }
      assertNotBefore(start, "the first idle socket");
      if (broker != null) {
        Poll.until(
            LATE,
            () -> BrokerSockets.count(broker.amqpPort()) == 0,
            "the broker to release the sockets it closed");
      }
    } finally {
      for (RawAmqpClient c : idle) {
        c.close();
      }
    }
  }

  private static RawAmqpClient stallAt(Stop stop) throws IOException {
    RawAmqpClient c = RawAmqpClient.connect(address);
    switch (stop) {
      case BEFORE_SENDING_ANYTHING -> {}
      case WITHIN_THE_PROTOCOL_HEADER -> c.send(new byte[] {'A', 'M', 'Q'});
      case AFTER_THE_PROTOCOL_HEADER -> c.start();
      case AFTER_START_OK -> {
        c.startOk("guest", "guest");
        c.readTune();
      }
      case AFTER_TUNE_OK -> {
        c.startOk("guest", "guest");
        c.readTune();
        c.tuneOk(2047, 131072, 0);
      }
    }
    return c;
  }

  /** The broker must not have closed anything before the timeout ran out. */
  private static void assertNotBefore(long start, String what) {
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(elapsed.compareTo(timeout) >= 0, what + " closed after only " + elapsed);
  }

  private static Duration remaining(long start, Duration total) {
    Duration left = total.minusNanos(System.nanoTime() - start);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** The broker's end of its AMQP connections, as the kernel lists them (Linux). */
  private static final class BrokerSockets {
    private BrokerSockets() {}

    /**
     * Sockets open in this process (they have an inode) whose local port is the broker's, other
     * than the listening one: the broker's ends of its connections.
     */
    static int count(int port) throws IOException {
      Path tcp = Path.of("/proc/net/tcp");
      assumeTrue(Files.isReadable(tcp), "needs /proc/net/tcp (Linux) to see the broker's sockets");
      String localPort = String.format(Locale.ROOT, ":%04X", port);
      int count = 0;
      for (Path table : List.of(tcp, Path.of("/proc/net/tcp6"))) {
        if (!Files.isReadable(table)) {
          continue;
        }
        for (String line : Files.readAllLines(table, StandardCharsets.US_ASCII)) {
          // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
          String[] f = line.trim().split("\\s+");
          boolean listening = f.length > 3 && f[3].equals("0A");
          if (f.length >= 10 && f[1].endsWith(localPort) && !listening && !f[9].equals("0")) {
            count++;
          }
        }
      }
      return count;
    }
  }
}
