package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.impl.AMQConnection;
import dev.warren.broker.stats.ConnectionInfo;
import dev.warren.broker.stats.ConnectionStats;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A connection's figures, as RabbitMQ's management API names them: what the connection is (names,
 * addresses, user, vhost, client properties, what the handshake agreed), where it is in its life,
 * and the octets and frames it received and sent, exactly. Snapshots are immutable, and reading
 * them leaves the connection alone. Warren-only.
 */
class ConnectionFiguresTest {
  @RegisterExtension final FiguresBroker figures = new FiguresBroker();

  @Test
  void figuresDescribeTheConnectionAsRabbitMqNamesIt() throws Exception {
    long before = System.currentTimeMillis();
    Connection c = figures.connect("described");
    long after = System.currentTimeMillis();
    c.createChannel();
    c.createChannel();
    ConnectionStats s = figures.awaitConnection("described", f -> f.channels() == 2, "2 channels");
    ConnectionInfo info = s.info();
    int port = figures.broker().amqpPort();
    int clientPort = ((AMQConnection) c).getLocalPort();
    assertEquals("127.0.0.1:" + clientPort + " -> 127.0.0.1:" + port, info.name());
    assertEquals("127.0.0.1", info.host());
    assertEquals(port, info.port());
    assertEquals("127.0.0.1", info.peerHost());
    assertEquals(clientPort, info.peerPort());
    assertTrue(info.connectedAt() >= before && info.connectedAt() <= after, "connected_at");
    assertEquals("guest", info.user());
    assertEquals("/", info.vhost());
    assertEquals("PLAIN", info.authMechanism());
    assertEquals("AMQP 0-9-1", info.protocol());
    assertEquals(131072, info.frameMax());
    assertEquals(2047, info.channelMax());
    assertEquals(0, info.heartbeat());
    assertEquals("described", info.userProvidedName());
    Map<String, Object> props = info.clientProperties();
    assertEquals("RabbitMQ", props.get("product"));
    assertEquals("Java", props.get("platform"));
    assertEquals("described", props.get("connection_name"));
    assertTrue(props.get("version") instanceof String, "version as a string");
    Map<?, ?> capabilities = (Map<?, ?>) props.get("capabilities");
    assertEquals(true, capabilities.get("publisher_confirms"));
    assertEquals(true, capabilities.get("connection.blocked"));
    assertEquals(ConnectionStats.State.RUNNING, s.state());
    assertEquals("running", s.state().label());
    assertEquals(info.name(), s.name());
  }

  @Test
  void eachHandshakeStepShowsInTheStateAndWhatItAgreed() throws Exception {
    InetSocketAddress at = new InetSocketAddress("127.0.0.1", figures.broker().amqpPort());
    try (RawAmqpClient raw = RawAmqpClient.connect(at)) {
      ConnectionStats starting = awaitPeer(raw, ConnectionStats.State.STARTING);
      assertEquals("", starting.info().user());
      assertEquals(Map.of(), starting.info().clientProperties());
      raw.startOk("guest", "guest");
      ConnectionStats tuning = awaitPeer(raw, ConnectionStats.State.TUNING);
      assertEquals("guest", tuning.info().user());
      assertEquals("PLAIN", tuning.info().authMechanism());
      assertEquals("warren raw test client", tuning.info().clientProperties().get("product"));
      assertEquals("", tuning.info().vhost());
      raw.readTune();
      raw.tuneOk(100, 8192, 0);
      ConnectionStats opening = awaitPeer(raw, ConnectionStats.State.OPENING);
      assertEquals(100, opening.info().channelMax());
      assertEquals(8192, opening.info().frameMax());
      raw.openVhost("/");
      ConnectionStats running = awaitPeer(raw, ConnectionStats.State.RUNNING);
      assertEquals("/", running.info().vhost());
    }
  }

  private ConnectionStats awaitPeer(RawAmqpClient raw, ConnectionStats.State state) {
    return FiguresBroker.await(
        () ->
            figures.broker().connections().connections().stream()
                .filter(s -> s.info().peerPort() == raw.localPort() && s.state() == state)
                .findFirst(),
        "the raw connection " + state.label());
  }

  /**
   * basic.publish to "" with routing key {@code q}, no properties, and a body of {@code b} octets,
   * as frames: method (8 + 4 + 2 + 1 + 1 + |q| + 1), content header (8 + 14), body (8 + b).
   */
  private static long publishOctets(String q, int b) {
    return 17 + utf8(q) + 22 + 8 + b;
  }

  /** basic.get of {@code q}: one method frame (8 + 4 + 2 + 1 + |q| + 1). */
  private static long getOctets(String q) {
    return 16 + utf8(q);
  }

  /**
   * basic.get-ok of a message published to "" with key {@code q}: method (8 + 4 + 8 + 1 + 1 + 1 +
   * |q| + 4), content header (8 + 14), body (8 + b).
   */
  private static long getOkOctets(String q, int b) {
    return 27 + utf8(q) + 22 + 8 + b;
  }

  private static int utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  @Test
  void octetsAndFramesCountExactlyWhatWentEachWay() throws Exception {
    Connection c = figures.connect("octets");
    Channel ch = c.createChannel();
    String q =
        ch.queueDeclare("figures-octets-" + System.nanoTime(), false, true, true, null).getQueue();
    ConnectionStats before = figures.awaitConnection("octets", s -> s.channels() == 1, "open");

    ch.basicPublish("", q, null, new byte[10]);
    ConnectionStats published =
        figures.awaitConnection(
            "octets", s -> s.recvCnt() == before.recvCnt() + 3, "the publish's 3 frames");
    assertEquals(before.recvOct() + publishOctets(q, 10), published.recvOct());
    assertEquals(before.sendOct(), published.sendOct());

    Poll.until(
        FiguresBroker.WITHIN,
        () -> figures.broker().vhosts().lookup("/").orElseThrow().queue(q).stats().ready() == 1,
        "the message in its queue");
    GetResponse got = Messages.get(ch, q, true);
    assertEquals(10, got.getBody().length);
    ConnectionStats answered =
        figures.awaitConnection(
            "octets", s -> s.sendCnt() >= published.sendCnt() + 3, "the get-ok's 3 frames");
    assertEquals(published.sendCnt() + 3, answered.sendCnt());
    assertEquals(published.sendOct() + getOkOctets(q, 10), answered.sendOct());
    assertEquals(published.recvCnt() + 1, answered.recvCnt());
    assertEquals(published.recvOct() + getOctets(q), answered.recvOct());
  }

  @Test
  void snapshotsAreImmutableAndReadingThemChangesNothing() throws Exception {
    Connection c = figures.connect("read-only");
    Channel ch = c.createChannel();
    String q = ch.queueDeclare().getQueue();
    ConnectionStats first = figures.awaitConnection("read-only", s -> s.channels() == 1, "open");
    String name = first.name();
    for (int i = 0; i < 10_000; i++) {
      assertSame(first, figures.broker().connections().connection(name).orElseThrow());
      figures.broker().connections().channels(name);
      figures.broker().connections().totals("/");
    }
    assertThrows(
        UnsupportedOperationException.class, () -> first.info().clientProperties().put("x", 1));
    Map<?, ?> capabilities = (Map<?, ?>) first.info().clientProperties().get("capabilities");
    assertThrows(UnsupportedOperationException.class, capabilities::clear);
    List<?> channels = figures.broker().connections().channels(name);
    channels.clear();
    assertEquals(1, figures.broker().connections().channels(name).size());

    long received = first.recvOct();
    Messages.publish(ch, q, "after");
    ConnectionStats later =
        figures.awaitConnection("read-only", s -> s.recvOct() > received, "the publish");
    assertNotEquals(first, later);
    assertEquals(received, first.recvOct(), "an earlier snapshot keeps its figures");
  }
}
