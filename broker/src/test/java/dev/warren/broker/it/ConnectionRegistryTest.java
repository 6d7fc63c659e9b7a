package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import dev.warren.broker.Broker;
import dev.warren.broker.amqp.ConnectionRegistry;
import dev.warren.broker.stats.ChannelStats;
import dev.warren.broker.stats.ConnectionStats;
import dev.warren.broker.stats.ConnectionTotals;
import dev.warren.broker.stats.MessageStats;
import dev.warren.broker.stats.Totals;
import dev.warren.persistence.definitions.PasswordHash;
import dev.warren.persistence.definitions.PutUser;
import dev.warren.persistence.definitions.SetPermissions;
import dev.warren.routing.ExchangeStats;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry of connections and channels, and what is summed from it: it lists what is open and
 * forgets what closed, closes a connection from any thread as RabbitMQ's management API does (320
 * CONNECTION_FORCED with the reason), and totals per virtual host count every message once, closed
 * channels included. Exchange counts and alarm states are read the same way. Warren-only.
 */
class ConnectionRegistryTest {
  @RegisterExtension final FiguresBroker figures = new FiguresBroker();

  private ConnectionRegistry registry() {
    return figures.broker().connections();
  }

  @Test
  void aConnectionClosedThroughTheRegistrySeesConnectionForcedWithTheReason() throws Exception {
    Connection c = figures.connect("forced");
    c.createChannel();
    CompletableFuture<ShutdownSignalException> shutdown = new CompletableFuture<>();
    c.addShutdownListener(shutdown::complete);
    String name = figures.connection("forced").name();

    assertTrue(registry().close(name, "Closed via management plugin"));

    ShutdownSignalException e = shutdown.get(10, TimeUnit.SECONDS);
    assertTrue(e.isHardError(), "a connection error");
    AMQP.Connection.Close close = (AMQP.Connection.Close) e.getReason();
    assertEquals(320, close.getReplyCode());
    assertEquals("CONNECTION_FORCED - Closed via management plugin", close.getReplyText());
    Poll.until(
        FiguresBroker.WITHIN, () -> registry().connection(name).isEmpty(), "the registry forgets");
    assertEquals(0, registry().channels(name).size());
    assertFalse(registry().close(name, "again"), "nothing left to close");
  }

  @Test
  void theRegistryListsOpenChannelsAndForgetsClosedOnes() throws Exception {
    Connection c = figures.connect("lister");
    Channel one = c.createChannel();
    Channel two = c.createChannel();
    c.createChannel();
    String name = figures.awaitConnection("lister", s -> s.channels() == 3, "3 channels").name();
    assertEquals(3, registry().channels(name).size());

    two.close();
    figures.awaitConnection("lister", s -> s.channels() == 2, "2 channels left");
    assertEquals(
        Set.of(one.getChannelNumber(), 3),
        registry().channels(name).stream().map(ChannelStats::number).collect(Collectors.toSet()));
    assertEquals(2, registry().channels().size());

    c.close();
    Poll.until(
        FiguresBroker.WITHIN, () -> registry().connections().isEmpty(), "no connection listed");
    assertEquals(0, registry().channels().size());
    ConnectionRegistry.Churn churn = registry().churn();
    assertEquals(new ConnectionRegistry.Churn(1, 1, 3, 3), churn);
  }

  @Test
  void connectionsAndChannelsRefusedByUserLimitsAreNotCountedAsOpened() throws Exception {
    figures
        .broker()
        .accessChanges()
        .putUser(
            new PutUser(
                "limited",
                PasswordHash.hash("pw"),
                PasswordHash.DEFAULT_ALGORITHM,
                List.of(),
                Map.of("max-connections", 1L, "max-channels", 1L)))
        .join();
    figures
        .broker()
        .accessChanges()
        .setPermissions(new SetPermissions("limited", "/", ".*", ".*", ".*"))
        .join();
    ConnectionFactory factory = figures.factory();
    factory.setUsername("limited");
    factory.setPassword("pw");
    Connection first = factory.newConnection("limit-first");
    try {
      first.createChannel();
      assertThrows(IOException.class, () -> factory.newConnection("limit-second"));
      assertThrows(IOException.class, first::createChannel);
      Poll.until(
          FiguresBroker.WITHIN, () -> registry().connections().isEmpty(), "no connection listed");
    } finally {
      first.abort(2_000);
    }
    assertEquals(new ConnectionRegistry.Churn(1, 1, 1, 1), registry().churn());
    ConnectionTotals totals = figures.broker().totals("/").connections();
    assertEquals(0, totals.connections());
    assertEquals(0, totals.channels());
  }

  @Test
  void totalsCountEveryMessageOnceClosedChannelsAndConnectionsIncluded() throws Exception {
    Connection publishing = figures.connect("totals-publisher");
    Channel p = publishing.createChannel();
    p.confirmSelect();
    p.queueDeclare("figures-totals", false, false, false, null);
    for (int i = 0; i < 10; i++) {
      p.basicPublish("", "figures-totals", null, Messages.bytes("m" + i));
    }
    p.waitForConfirmsOrDie(10_000);
    Connection consuming = figures.connect("totals-consumer");
    Channel c = consuming.createChannel();
    for (int i = 0; i < 4; i++) {
      Messages.get(c, "figures-totals", true);
    }
    Messages.get(c, "figures-totals", false);
    Messages.get(c, "figures-totals", false);

    Totals open =
        awaitTotals(t -> t.messagesUnacknowledged() == 2 && t.connections().channels() == 2);
    assertEquals(
        new MessageStats(10, 10, 0, 0, 0, 0, 2, 4, 0, 0, 0, 0, 10, 10),
        open.connections().messages());
    assertEquals(2, open.connections().connections());
    assertEquals(4, open.messagesReady());
    assertEquals(6, open.messages());
    assertEquals(1, open.queues());
    assertEquals(7, open.exchanges(), "the default exchange and the six amq.* ones");
    assertTrue(open.connections().recvOct() > 0 && open.connections().sendOct() > 0);

    p.close();
    publishing.close();
    c.basicAck(0, true);
    c.close();
    consuming.close();
    Totals closed = awaitTotals(t -> t.connections().connections() == 0);
    assertEquals(
        new MessageStats(10, 10, 0, 0, 0, 0, 2, 4, 0, 2, 0, 0, 10, 10),
        closed.connections().messages());
    assertEquals(0, closed.connections().channels());
    assertEquals(4, closed.messagesReady());
    assertEquals(0, closed.messagesUnacknowledged());
    assertTrue(closed.connections().recvOct() >= open.connections().recvOct(), "octets kept");
    assertTrue(closed.connections().sendOct() >= open.connections().sendOct(), "octets kept");
    assertEquals(closed, figures.broker().totals(null));
  }

  private Totals awaitTotals(Predicate<Totals> done) {
    return FiguresBroker.await(
        () -> Optional.of(figures.broker().totals("/")).filter(done), "the totals");
  }

  @Test
  void exchangesCountPublishesInAndCopiesOut() throws Exception {
    Connection conn = figures.connect("exchanges");
    Channel ch = conn.createChannel();
    ch.confirmSelect();
    ch.exchangeDeclare("figures-fanout", "fanout");
    for (String q : new String[] {"figures-a", "figures-b"}) {
      ch.queueDeclare(q, false, true, true, null);
      ch.queueBind(q, "figures-fanout", "");
    }
    ch.exchangeDeclare("figures-nowhere", "direct");
    for (int i = 0; i < 3; i++) {
      ch.basicPublish("figures-fanout", "", null, Messages.bytes("x"));
    }
    ch.basicPublish("figures-nowhere", "k", null, Messages.bytes("lost"));
    ch.waitForConfirmsOrDie(10_000);
    assertEquals(new ExchangeStats(3, 6), exchangeStats("figures-fanout"));
    assertEquals(new ExchangeStats(1, 0), exchangeStats("figures-nowhere"));
  }

  private ExchangeStats exchangeStats(String name) {
    return figures
        .broker()
        .vhosts()
        .lookup("/")
        .orElseThrow()
        .exchanges()
        .lookup(name)
        .orElseThrow()
        .stats();
  }

  /** Room for about 6,000 small messages waiting in queues (as in MemoryLedgerTest). */
  private static final long LEDGER_LIMIT = 2L * 1024 * 1024;

  @Test
  void anAlarmShowsAsBlockedForAPublisherItHoldsAndBlockingForTheOthers(@TempDir Path dir)
      throws Exception {
    try (Broker small =
        Broker.start(
            FiguresBroker.config(TestBroker.inProcessConfig(dir)).toBuilder()
                .memoryLedgerBytes(LEDGER_LIMIT)
                .build())) {
      ConnectionFactory factory = TestBroker.connectionFactory("127.0.0.1", small.amqpPort());
      Connection publishing = factory.newConnection("alarm-publisher");
      Connection idle = factory.newConnection("alarm-idle");
      try {
        CountDownLatch blocked = new CountDownLatch(1);
        publishing.addBlockedListener(reason -> blocked.countDown(), () -> {});
        Channel p = publishing.createChannel();
        p.confirmSelect();
        AtomicLong confirmed = new AtomicLong();
        p.addConfirmListener((tag, multiple) -> confirmed.set(tag), (tag, multiple) -> {});
        String q = p.queueDeclare().getQueue();
        long published = 0;
        while (blocked.getCount() > 0 && published < 100_000) {
          for (int i = 0; i < 100; i++) {
            p.basicPublish("", q, null, Messages.bytes("m" + published++));
          }
          long expected = published;
          Poll.until(
              FiguresBroker.WITHIN,
              () -> blocked.getCount() == 0 || confirmed.get() == expected,
              "confirms or connection.blocked");
        }
        FiguresBroker.await(
            () -> state(small, "alarm-publisher", ConnectionStats.State.BLOCKED), "blocked");
        FiguresBroker.await(
            () -> state(small, "alarm-idle", ConnectionStats.State.BLOCKING), "blocking");
      } finally {
        publishing.abort(2_000);
        idle.abort(2_000);
      }
    }
  }

  private static Optional<ConnectionStats> state(
      Broker broker, String clientName, ConnectionStats.State state) {
    return broker.connections().connections().stream()
        .filter(s -> clientName.equals(s.info().userProvidedName()) && s.state() == state)
        .findFirst();
  }
}
