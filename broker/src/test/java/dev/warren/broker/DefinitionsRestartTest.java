package dev.warren.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.ShutdownSignalException;
import dev.warren.broker.it.AmqpErrors;
import dev.warren.broker.it.Messages;
import dev.warren.broker.it.Poll;
import dev.warren.broker.it.TestBroker;
import dev.warren.persistence.definitions.DefinitionStore;
import dev.warren.persistence.definitions.PasswordHash;
import dev.warren.persistence.definitions.PutUser;
import dev.warren.persistence.definitions.SetPermissions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable definitions survive a restart of the broker on the same data directory, as in RabbitMQ:
 * durable exchanges, durable non-exclusive queues, bindings between stored ends, users and
 * permissions; transient and exclusive ones vanish; deletions stay deleted. Each test starts its
 * own broker (port 0, a temporary data directory), stops it, and starts it again.
 */
class DefinitionsRestartTest {
  @TempDir Path dataDir;

  private Broker broker;
  private final List<Connection> connections = new ArrayList<>();

  /** Where passive declarations look, one channel each (a 404 closes it). */
  private Connection probe;

  @AfterEach
  void stop() {
    closeConnections();
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void durableExchangesKeepTheirTypeFlagsAndArguments() throws Exception {
    start();
    Channel ch = channel();
    ch.exchangeDeclare("e.direct", "direct", true, false, false, null);
    ch.exchangeDeclare("e.auto", "fanout", true, true, false, null);
    ch.exchangeDeclare("e.internal", "topic", true, false, true, null);
    ch.exchangeDeclare("e.ae", "fanout", true);
    ch.exchangeDeclare(
        "e.with-ae", "direct", true, false, false, Map.of("alternate-exchange", "e.ae"));
    ch.exchangeDeclare(
        "e.hash", "x-consistent-hash", true, false, false, Map.of("hash-header", "h"));
    ch.queueDeclare("q.ae", true, false, false, null);
    ch.queueBind("q.ae", "e.ae", "");
    ch.queueDeclare("q.hash-1", true, false, false, null);
    ch.queueDeclare("q.hash-2", true, false, false, null);
    ch.queueBind("q.hash-1", "e.hash", "1");
    ch.queueBind("q.hash-2", "e.hash", "1");

    restart();

    Channel after = channel();
    for (String x : List.of("e.direct", "e.auto", "e.internal", "e.ae", "e.with-ae", "e.hash")) {
      after.exchangeDeclarePassive(x);
    }
    after.exchangeDeclare("e.direct", "direct", true, false, false, null);
    after.exchangeDeclare("e.auto", "fanout", true, true, false, null);
    after.exchangeDeclare("e.internal", "topic", true, false, true, null);
    after.exchangeDeclare(
        "e.with-ae", "direct", true, false, false, Map.of("alternate-exchange", "e.ae"));
    assertRedeclareRefused(c -> c.exchangeDeclare("e.direct", "fanout", true));
    assertRedeclareRefused(c -> c.exchangeDeclare("e.auto", "fanout", true, false, null));
    assertRedeclareRefused(c -> c.exchangeDeclare("e.internal", "topic", true, false, false, null));
    assertRedeclareRefused(
        c ->
            c.exchangeDeclare(
                "e.with-ae", "direct", true, false, false, Map.of("alternate-exchange", "other")));

    Channel publisher = channel();
    assertEquals(
        AMQP.ACCESS_REFUSED,
        AmqpErrors.channelErrorCode(
            publisher, () -> publisher.basicPublish("e.internal", "", null, new byte[0])));

    after.basicPublish("e.with-ae", "unbound-key", null, Messages.bytes("to the ae"));
    assertEquals("to the ae", Messages.text(Messages.await(after, "q.ae", true).getBody()));

    // hash-header: messages with one header value go to one queue whatever their routing keys.
    for (int i = 0; i < 20; i++) {
      after.basicPublish(
          "e.hash", "key-" + i, Messages.withHeaders(Map.of("h", "same")), new byte[0]);
    }
    Poll.until(
        Duration.ofSeconds(10),
        () -> Messages.readyCount(after, "q.hash-1") + Messages.readyCount(after, "q.hash-2") == 20,
        "20 messages routed");
    int first = Messages.readyCount(after, "q.hash-1");
    assertTrue(first == 0 || first == 20, "all in one queue, got " + first + " of 20 in one");
    // Queues keep their messages until the broker stops: take them, so that no buffer is left.
    assertEquals(20, Messages.drain(after, "q.hash-1").size() + drain(after, "q.hash-2").size());
  }

  @Test
  void durableQueueKeepsItsArgumentsAndRedeclarationsAreCheckedAgainstThem() throws Exception {
    start();
    Map<String, Object> args = Map.of("x-max-length", 3, "x-message-ttl", 600_000);
    channel().queueDeclare("q.args", true, false, false, args);
    channel().queueDeclare("q.auto", true, false, true, null);

    restart();

    Channel ch = channel();
    assertEquals(0, ch.queueDeclarePassive("q.args").getMessageCount());
    ch.queueDeclare(
        "q.args", true, false, false, Map.of("x-message-ttl", 600_000, "x-max-length", 3));
    ch.queueDeclare("q.auto", true, false, true, null);
    assertRedeclareRefused(
        c -> c.queueDeclare("q.args", true, false, false, Map.of("x-max-length", 4)));
    assertRedeclareRefused(c -> c.queueDeclare("q.args", true, false, false, null));
    assertRedeclareRefused(c -> c.queueDeclare("q.auto", true, false, false, null));

    Messages.publishNumbered(ch, "q.args", 5);
    Poll.until(
        Duration.ofSeconds(10),
        () -> Messages.readyCount(ch, "q.args") == 3,
        "the restored x-max-length to keep 3 of 5");
    assertEquals(List.of("3", "4", "5"), Messages.drain(ch, "q.args"));
  }

  @Test
  void queueBindingsWithArgumentsAndToStandardExchangesRouteAfterRestart() throws Exception {
    start();
    Channel ch = channel();
    ch.exchangeDeclare("e.headers", "headers", true);
    ch.queueDeclare("q.bound", true, false, false, null);
    Map<String, Object> match = Map.of("x-match", "all", "color", "red", "size", 2);
    ch.queueBind("q.bound", "e.headers", "", match);
    ch.queueBind("q.bound", "amq.direct", "direct-key");
    ch.queueBind("q.bound", "amq.topic", "a.*.c");
    ch.queueBind("q.bound", "amq.fanout", "");

    restart();

    Channel after = channel();
    after.basicPublish(
        "e.headers", "", Messages.withHeaders(Map.of("size", 2, "color", "red")), bytes("headers"));
    after.basicPublish("amq.direct", "direct-key", null, bytes("direct"));
    after.basicPublish("amq.topic", "a.b.c", null, bytes("topic"));
    after.basicPublish("amq.fanout", "anything", null, bytes("fanout"));
    Poll.until(
        Duration.ofSeconds(10),
        () -> Messages.readyCount(after, "q.bound") == 4,
        "four messages through four restored bindings");
    assertEquals(
        Set.of("headers", "direct", "topic", "fanout"), Set.copyOf(drain(after, "q.bound")));

    // The restored binding is the same binding: unbinding with the arguments (in another order)
    // removes it, and that too survives a restart.
    after.queueUnbind(
        "q.bound", "e.headers", "", Map.of("size", 2, "color", "red", "x-match", "all"));
    restart();
    assertTrue(returned(channel(), "e.headers", "", Map.of("size", 2, "color", "red")));
  }

  @Test
  void exchangeToExchangeBindingRoutesAfterRestart() throws Exception {
    start();
    Channel ch = channel();
    ch.exchangeDeclare("e.source", "fanout", true);
    ch.exchangeDeclare("e.middle", "direct", true);
    ch.exchangeBind("e.middle", "e.source", "", Map.of("note", "e2e"));
    ch.queueDeclare("q.end", true, false, false, null);
    ch.queueBind("q.end", "e.middle", "rk");

    restart();

    ch = channel();
    ch.basicPublish("e.source", "rk", null, bytes("through two exchanges"));
    assertEquals(
        "through two exchanges", Messages.text(Messages.await(ch, "q.end", true).getBody()));
    ch.exchangeUnbind("e.middle", "e.source", "", Map.of("note", "e2e"));
    restart();
    assertTrue(returned(channel(), "e.source", "rk", null));
  }

  @Test
  void deletedDurableDefinitionsStayDeleted() throws Exception {
    start();
    Channel ch = channel();
    ch.exchangeDeclare("e.deleted", "topic", true);
    ch.exchangeDeclare("e.kept", "direct", true);
    ch.queueDeclare("q.deleted", true, false, false, null);
    ch.queueDeclare("q.kept", true, false, false, null);
    ch.queueBind("q.deleted", "e.kept", "to-deleted-queue");
    ch.queueBind("q.kept", "e.deleted", "#");
    ch.queueBind("q.kept", "e.kept", "unbound");
    ch.queueBind("q.kept", "e.kept", "kept");
    ch.exchangeBind("e.deleted", "e.kept", "to-deleted-exchange");
    ch.exchangeDelete("e.deleted");
    ch.queueDelete("q.deleted");
    ch.queueUnbind("q.kept", "e.kept", "unbound");

    restart();

    ch = channel();
    assertNotFound(c -> c.exchangeDeclarePassive("e.deleted"));
    assertNotFound(c -> c.queueDeclarePassive("q.deleted"));
    ch.exchangeDeclarePassive("e.kept");
    ch.queueDeclarePassive("q.kept");
    // A new queue of the deleted one's name does not get the old one's bindings.
    ch.queueDeclare("q.deleted", true, false, false, null);
    for (String key : List.of("to-deleted-queue", "unbound", "to-deleted-exchange")) {
      assertTrue(returned(ch, "e.kept", key, null), key + " must route nowhere");
    }
    ch.basicPublish("e.kept", "kept", null, bytes("kept"));
    assertEquals("kept", Messages.text(Messages.await(ch, "q.kept", true).getBody()));
  }

  @Test
  void durableQueuesAndExchangesThatDeletedThemselvesStayDeleted() throws Exception {
    start();
    Channel ch = channel();
    ch.queueDeclare("q.auto-delete", true, false, true, null);
    ch.queueBind("q.auto-delete", "amq.direct", "auto");
    ch.exchangeDeclare("e.auto-delete", "direct", true, true, null);
    ch.queueDeclare("q.plain", true, false, false, null);
    ch.queueBind("q.plain", "e.auto-delete", "k");
    // Watching the queue with passive declarations would renew its lease: a durable auto-delete
    // exchange bound only to it goes with it (and with it, its stored row).
    ch.queueDeclare("q.expires", true, false, false, Map.of("x-expires", 100));
    ch.exchangeDeclare("e.witness", "fanout", true, true, null);
    ch.queueBind("q.expires", "e.witness", "");

    String tag = ch.basicConsume("q.auto-delete", true, new DefaultConsumer(ch));
    ch.basicCancel(tag);
    ch.queueUnbind("q.plain", "e.auto-delete", "k");
    Poll.until(
        Duration.ofSeconds(10),
        () -> !exists(c -> c.queueDeclarePassive("q.auto-delete")),
        "the auto-delete queue to go with its consumer");
    Poll.until(
        Duration.ofSeconds(10),
        () -> !exists(c -> c.exchangeDeclarePassive("e.witness")),
        "the queue to expire, and its auto-delete exchange with it");
    assertFalse(exists(c -> c.exchangeDeclarePassive("e.auto-delete")));

    restart();

    assertFalse(exists(c -> c.queueDeclarePassive("q.auto-delete")));
    assertFalse(exists(c -> c.queueDeclarePassive("q.expires")));
    assertFalse(exists(c -> c.exchangeDeclarePassive("e.witness")));
    assertFalse(exists(c -> c.exchangeDeclarePassive("e.auto-delete")));
    assertTrue(exists(c -> c.queueDeclarePassive("q.plain")));
    assertTrue(returned(channel(), "amq.direct", "auto", null));
  }

  @Test
  void concurrentDeclarationsOfOneNameLeaveOneDefinitionInMemoryAndInTheStore() throws Exception {
    start();
    int queueWinner =
        race(i -> c -> c.queueDeclare("q.race", true, false, false, Map.of("x-max-length", i)));
    int exchangeWinner = race(i -> c -> c.exchangeDeclare("e.race", TYPES.get(i), true));

    restart();

    Channel ch = channel();
    ch.queueDeclare("q.race", true, false, false, Map.of("x-max-length", queueWinner));
    ch.exchangeDeclare("e.race", TYPES.get(exchangeWinner), true);
    assertRedeclareRefused(
        c -> c.queueDeclare("q.race", true, false, false, Map.of("x-max-length", 1 - queueWinner)));
    assertRedeclareRefused(c -> c.exchangeDeclare("e.race", TYPES.get(1 - exchangeWinner), true));
  }

  private static final List<String> TYPES = List.of("direct", "fanout");

  /**
   * Eight clients at once, each on its own connection, half making declaration 0 and half
   * declaration 1 of one name: all of one half succeed, all of the other are refused (406). Returns
   * the winning declaration.
   */
  private int race(IntFunction<ChannelAction> declaration) throws Exception {
    int clients = 8;
    List<Channel> channels = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      channels.add(channel());
    }
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Integer>> outcomes = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      Channel ch = channels.get(i);
      int which = i % 2;
      outcomes.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  go.await();
                  declaration.apply(which).run(ch);
                  return which;
                } catch (Exception e) {
                  ShutdownSignalException signal =
                      assertInstanceOf(ShutdownSignalException.class, e.getCause());
                  assertEquals(AMQP.PRECONDITION_FAILED, AmqpErrors.replyCode(signal));
                  return -1;
                }
              }));
    }
    go.countDown();
    List<Integer> results = new ArrayList<>();
    for (CompletableFuture<Integer> outcome : outcomes) {
      results.add(outcome.get(30, TimeUnit.SECONDS));
    }
    int winner = results.stream().filter(r -> r >= 0).findFirst().orElseThrow();
    for (int i = 0; i < clients; i++) {
      assertEquals(i % 2 == winner ? winner : -1, results.get(i), "client " + i + ": " + results);
    }
    return winner;
  }

  @Test
  void transientAndExclusiveDefinitionsVanish() throws Exception {
    start();
    Channel ch = channel();
    ch.exchangeDeclare("e.transient", "fanout", false);
    ch.queueDeclare("q.transient", false, false, false, null);
    ch.queueDeclare("q.exclusive", true, true, false, null);
    ch.exchangeDeclare("e.durable", "direct", true);
    ch.queueBind("q.transient", "e.durable", "k");
    ch.queueBind("q.exclusive", "e.durable", "k");

    restart();

    assertFalse(exists(c -> c.exchangeDeclarePassive("e.transient")));
    assertFalse(exists(c -> c.queueDeclarePassive("q.transient")));
    assertFalse(exists(c -> c.queueDeclarePassive("q.exclusive")));
    // Bindings to transient queues are gone: the exchange is unused and may be deleted as such.
    channel().exchangeDelete("e.durable", true);
  }

  @Test
  void userAddedToTheStoreWhileStoppedLogsInAndWrongPasswordIsRefused() throws Exception {
    start();
    stopBroker();
    try (DefinitionStore store = DefinitionStore.open(dataDir.resolve("definitions"))) {
      store.apply(new PutUser("alice", PasswordHash.hash("s3cret"), List.of("monitoring")));
      store.apply(new SetPermissions("alice", "/", ".*", ".*", ".*"));
      store.apply(new PutUser("bob", PasswordHash.hash("b0b"), List.of()));
    }
    start();

    Connection alice = connect("alice", "s3cret");
    assertTrue(alice.isOpen());
    alice.createChannel().queueDeclare("q.alice", true, false, false, null);

    AuthenticationFailureException refused =
        assertThrows(AuthenticationFailureException.class, () -> connect("alice", "wrong"));
    assertTrue(refused.getMessage().startsWith("ACCESS_REFUSED"), refused.getMessage());

    IOException noVhost = assertThrows(IOException.class, () -> connect("bob", "b0b"));
    ShutdownSignalException signal =
        assertInstanceOf(ShutdownSignalException.class, noVhost.getCause());
    assertTrue(signal.isHardError());
    AMQP.Connection.Close close = assertInstanceOf(AMQP.Connection.Close.class, signal.getReason());
    assertEquals(AMQP.NOT_ALLOWED, close.getReplyCode());
    assertEquals("NOT_ALLOWED - access to vhost '/' refused for user 'bob'", close.getReplyText());
  }

  @Test
  void defaultUserIsCreatedOnFirstStartAndItsStoredPasswordWinsLater() throws Exception {
    start(config().toBuilder().defaultUser("boss").defaultPassword("first").build());
    connect("boss", "first").close();
    assertThrows(AuthenticationFailureException.class, () -> connect("guest", "guest"));
    stopBroker();
    try (DefinitionStore store = DefinitionStore.open(dataDir.resolve("definitions"))) {
      PutUser boss = store.load().users().get(0);
      assertEquals("boss", boss.name());
      assertEquals(List.of("administrator"), boss.tags());
      assertNotEquals("first", boss.passwordHash());
      assertTrue(PasswordHash.check("first", boss.passwordHash()));
    }

    start(config().toBuilder().defaultUser("boss").defaultPassword("second").build());
    connect("boss", "first").close();
    assertThrows(AuthenticationFailureException.class, () -> connect("boss", "second"));
  }

  /** Permissions written to the store before a restart are the ones checked per operation. */
  @Test
  void permissionPatternsFromTheStoreAreCheckedPerOperation() throws Exception {
    start();
    stopBroker();
    try (DefinitionStore store = DefinitionStore.open(dataDir.resolve("definitions"))) {
      store.apply(new PutUser("carol", PasswordHash.hash("c4rol"), List.of()));
      store.apply(new SetPermissions("carol", "/", "^q\\.carol$", "^$", "^$"));
    }
    start();
    Channel ch = connect("carol", "c4rol").createChannel();
    ch.queueDeclare("q.carol", false, false, true, null);
    IOException refused =
        assertThrows(IOException.class, () -> ch.queueDeclare("q.other", false, false, true, null));
    assertEquals(
        AMQP.ACCESS_REFUSED,
        AmqpErrors.replyCode(assertInstanceOf(ShutdownSignalException.class, refused.getCause())));
  }

  // --- helpers ---------------------------------------------------------------------------------

  /** A change a client makes that the broker refuses. */
  @FunctionalInterface
  private interface ChannelAction {
    void run(Channel ch) throws Exception;
  }

  private BrokerConfig config() {
    return BrokerConfig.defaults().toBuilder()
        .dataDir(dataDir)
        .amqpPort(0)
        .managementPort(0)
        .prometheusPort(0)
        .ioThreads(2)
        .build();
  }

  private void start() {
    start(config());
  }

  private void start(BrokerConfig config) {
    broker = Broker.start(config);
  }

  private void stopBroker() {
    closeConnections();
    broker.close();
    broker = null;
  }

  private void restart() {
    stopBroker();
    start();
  }

  private Connection connect(String user, String password) throws Exception {
    ConnectionFactory factory = TestBroker.connectionFactory("127.0.0.1", broker.amqpPort());
    factory.setUsername(user);
    factory.setPassword(password);
    Connection connection = factory.newConnection();
    connections.add(connection);
    return connection;
  }

  /** A new channel on a new guest connection, closed with the broker. */
  private Channel channel() throws Exception {
    return connect("guest", "guest").createChannel();
  }

  private void closeConnections() {
    for (Connection c : connections) {
      if (c.isOpen()) {
        c.abort(2_000);
      }
    }
    connections.clear();
    probe = null;
  }

  /** Whether the passive declaration succeeds (false: 404, which closes its channel). */
  private boolean exists(ChannelAction passiveDeclare) throws Exception {
    if (probe == null || !probe.isOpen()) {
      probe = connect("guest", "guest");
    }
    Channel ch = probe.createChannel();
    try {
      passiveDeclare.run(ch);
      return true;
    } catch (IOException e) {
      ShutdownSignalException signal =
          assertInstanceOf(ShutdownSignalException.class, e.getCause());
      assertFalse(signal.isHardError(), () -> "expected 404, got " + signal.getReason());
      assertEquals(AMQP.NOT_FOUND, AmqpErrors.replyCode(signal));
      return false;
    }
  }

  private void assertNotFound(ChannelAction passiveDeclare) throws Exception {
    assertFalse(exists(passiveDeclare));
  }

  private void assertRedeclareRefused(ChannelAction redeclare) throws Exception {
    Channel ch = channel();
    assertEquals(
        AMQP.PRECONDITION_FAILED, AmqpErrors.channelErrorCode(ch, () -> redeclare.run(ch)));
  }

  /**
   * Publishes a mandatory message and tells whether the broker returned it as unroutable (after the
   * confirm, which follows any basic.return).
   */
  private boolean returned(Channel ch, String exchange, String key, Map<String, Object> headers)
      throws Exception {
    Set<String> returns = ConcurrentHashMap.newKeySet();
    ch.addReturnListener(r -> returns.add(r.getExchange()));
    ch.confirmSelect();
    AMQP.BasicProperties props = headers == null ? null : Messages.withHeaders(headers);
    ch.basicPublish(exchange, key, true, props, bytes("mandatory"));
    ch.waitForConfirmsOrDie(10_000);
    return returns.contains(exchange);
  }

  private static List<String> drain(Channel ch, String queue) throws IOException {
    List<String> bodies = Messages.drain(ch, queue);
    assertNull(ch.basicGet(queue, true));
    return bodies;
  }

  private static byte[] bytes(String text) {
    return Messages.bytes(text);
  }
}
