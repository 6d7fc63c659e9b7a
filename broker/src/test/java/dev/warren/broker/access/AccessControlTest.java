package dev.warren.broker.access;

import static dev.warren.broker.it.AmqpErrors.channelClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import dev.warren.broker.Broker;
import dev.warren.broker.BrokerConfig;
import dev.warren.broker.it.Poll;
import dev.warren.broker.it.Rabbitmqctl;
import dev.warren.broker.it.TestBroker;
import dev.warren.persistence.definitions.PasswordHash;
import dev.warren.persistence.definitions.PutUser;
import dev.warren.persistence.definitions.SetPermissions;
import dev.warren.persistence.definitions.SetTopicPermission;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Permissions, topic permissions, user_id, user limits and failed logins, enforced on every AMQP
 * operation where RabbitMQ's access control guide says: a denial is 403 ACCESS_REFUSED with
 * RabbitMQ's text, closes only the channel, and changes nothing. Users and permissions are set
 * through Warren's Java entry (the management API sets them the same way), or, with {@code
 * -Dbroker.external=host:port -Dbroker.rabbitmqctl="rabbitmqctl -n node"}, with {@code rabbitmqctl}
 * on a real RabbitMQ, so that the same expectations are checked against it; Warren's own additions
 * (the login delay, the 16 MiB default, importing other hash algorithms) are then skipped.
 */
class AccessControlTest {
  /** What the tests declare in "/": removed after each test when they aim at a real RabbitMQ. */
  private static final List<String> QUEUES =
      List.of("app.q", "other.q", "target", "kept", "precious", "bound", "topics", "ids", "live");

  private static final List<String> EXCHANGES = List.of("shared", "dest", "app.x", "app.topics");

  @TempDir Path dataDir;

  private final Rabbitmqctl rabbitmqctl =
      TestBroker.isExternal() ? Rabbitmqctl.configured().orElse(null) : null;
  private final List<String> users = new ArrayList<>();
  private Broker broker;
  private final List<Connection> connections = new ArrayList<>();
  private Channel admin;

  @BeforeEach
  void start() throws Exception {
    if (TestBroker.isExternal()) {
      assumeTrue(rabbitmqctl != null, "a real RabbitMQ is administered with -Dbroker.rabbitmqctl");
    } else {
      broker = Broker.start(TestBroker.inProcessConfig(dataDir));
    }
    admin = connect("guest", "guest").createChannel();
  }

  @AfterEach
  void stop() throws Exception {
    if (rabbitmqctl != null && admin != null) {
      Channel cleanup = admin.getConnection().createChannel();
      for (String queue : QUEUES) {
        cleanup.queueDelete(queue);
      }
      for (String exchange : EXCHANGES) {
        cleanup.exchangeDelete(exchange);
      }
      for (String user : users) {
        rabbitmqctl.runIgnoringAbsent("delete_user", user);
      }
    }
    for (Connection c : connections) {
      try {
        c.abort();
      } catch (RuntimeException ignored) {
        // already gone
      }
    }
    if (broker != null) {
      broker.close();
    }
  }

  private Connection connect(String user, String password) throws Exception {
    InetSocketAddress at =
        broker == null
            ? TestBroker.address()
            : new InetSocketAddress("127.0.0.1", broker.amqpPort());
    ConnectionFactory factory = TestBroker.connectionFactory(at.getHostString(), at.getPort());
    factory.setUsername(user);
    factory.setPassword(password);
    Connection c = factory.newConnection();
    connections.add(c);
    return c;
  }

  private void user(String name, List<String> tags, Map<String, Long> limits) {
    users.add(name);
    if (rabbitmqctl == null) {
      broker
          .accessChanges()
          .putUser(
              new PutUser(
                  name, PasswordHash.hash("pw"), PasswordHash.DEFAULT_ALGORITHM, tags, limits))
          .join();
      return;
    }
    rabbitmqctl.run("add_user", name, "pw");
    List<String> setTags = new ArrayList<>(List.of("set_user_tags", name));
    setTags.addAll(tags);
    rabbitmqctl.run(setTags.toArray(String[]::new));
    if (!limits.isEmpty()) {
      rabbitmqctl.run("set_user_limits", name, Rabbitmqctl.json(limits));
    }
  }

  private void permit(String user, String configure, String write, String read) {
    if (rabbitmqctl == null) {
      broker
          .accessChanges()
          .setPermissions(new SetPermissions(user, "/", configure, write, read))
          .join();
    } else {
      rabbitmqctl.run("set_permissions", "-p", "/", user, configure, write, read);
    }
  }

  private void unpermit(String user) {
    if (rabbitmqctl == null) {
      broker.accessChanges().clearPermissions(user, "/").join();
    } else {
      rabbitmqctl.run("clear_permissions", "-p", "/", user);
    }
  }

  private void permitTopics(String user, String exchange, String write, String read) {
    if (rabbitmqctl == null) {
      broker
          .accessChanges()
          .setTopicPermission(new SetTopicPermission(user, "/", exchange, write, read))
          .join();
    } else {
      rabbitmqctl.run("set_topic_permissions", "-p", "/", user, exchange, write, read);
    }
  }

  private void assumeWarren(String why) {
    assumeTrue(broker != null, why);
  }

  private Channel app(String configure, String write, String read) throws Exception {
    user("app", List.of(), Map.of());
    permit("app", configure, write, read);
    return connect("app", "pw").createChannel();
  }

  private static String refusal(String kind, String name) {
    return "ACCESS_REFUSED - access to "
        + kind
        + " '"
        + name
        + "' in vhost '/' refused for user 'app'";
  }

  private static void assertRefused(String text, AMQP.Channel.Close close) {
    assertEquals(403, close.getReplyCode());
    assertEquals(text, close.getReplyText());
  }

  private boolean queueExists(String name) throws IOException {
    Channel probe = admin.getConnection().createChannel();
    try {
      probe.queueDeclarePassive(name);
      probe.close();
      return true;
    } catch (IOException e) {
      return false;
    } catch (Exception e) {
      throw new IOException(e);
    }
  }

  @Test
  void declaringAQueueNeedsConfigureOnItsNameAndMakesNothingWhenRefused() throws Exception {
    Channel ch = app("^app\\.", ".*", ".*");
    ch.queueDeclare("app.q", false, false, false, null);
    assertRefused(
        refusal("queue", "other.q"),
        channelClose(ch, () -> ch.queueDeclare("other.q", false, false, false, null)));
    assertFalse(queueExists("other.q"));
    // A server-named queue is checked under the name the server gives it.
    Channel again = ch.getConnection().createChannel();
    AMQP.Channel.Close close = channelClose(again, () -> again.queueDeclare());
    assertEquals(403, close.getReplyCode());
    assertTrue(
        close
            .getReplyText()
            .matches(
                "ACCESS_REFUSED - access to queue 'amq\\.gen-[A-Za-z0-9_-]+' in vhost '/'"
                    + " refused for user 'app'"),
        close.getReplyText());
  }

  @Test
  void publishingNeedsWriteOnTheExchangeTheDefaultOneBeingAmqDefault() throws Exception {
    admin.queueDeclare("target", false, false, false, null);
    Channel ch = app(".*", "^amq\\.direct$", ".*");
    ch.basicPublish("amq.direct", "target", null, new byte[0]);
    assertRefused(
        refusal("exchange", "amq.default"),
        channelClose(ch, () -> ch.basicPublish("", "target", null, "x".getBytes())));
    assertEquals(0, admin.queueDeclarePassive("target").getMessageCount());
    assertTrue(ch.getConnection().isOpen(), "only the channel is closed");
  }

  @Test
  void consumingGettingAndPurgingNeedReadOnTheQueue() throws Exception {
    admin.queueDeclare("kept", false, false, false, null);
    admin.basicPublish("", "kept", null, "m".getBytes(StandardCharsets.UTF_8));
    awaitMessageCount("kept", 1);
    Channel ch = app(".*", ".*", "^nothing$");
    Connection c = ch.getConnection();
    assertRefused(refusal("queue", "kept"), channelClose(ch, () -> ch.basicGet("kept", true)));
    Channel consume = c.createChannel();
    assertRefused(
        refusal("queue", "kept"),
        channelClose(consume, () -> consume.basicConsume("kept", true, (t, d) -> {}, t -> {})));
    Channel purge = c.createChannel();
    assertRefused(refusal("queue", "kept"), channelClose(purge, () -> purge.queuePurge("kept")));
    assertEquals(1, admin.queueDeclarePassive("kept").getMessageCount());
  }

  @Test
  void deletingNeedsConfigureAndARefusedDeleteKeepsTheQueue() throws Exception {
    admin.queueDeclare("precious", false, false, false, null);
    Channel ch = app("^app\\.", ".*", ".*");
    assertRefused(refusal("queue", "precious"), channelClose(ch, () -> ch.queueDelete("precious")));
    assertTrue(queueExists("precious"));
    admin.exchangeDeclare("shared", "direct");
    Channel x = ch.getConnection().createChannel();
    assertRefused(refusal("exchange", "shared"), channelClose(x, () -> x.exchangeDelete("shared")));
    admin.exchangeDeclarePassive("shared");
  }

  @Test
  void bindingNeedsWriteOnTheQueueThenReadOnTheExchange() throws Exception {
    admin.queueDeclare("bound", false, false, false, null);
    Channel noWrite = app(".*", "^nothing$", ".*");
    assertRefused(
        refusal("queue", "bound"),
        channelClose(noWrite, () -> noWrite.queueBind("bound", "amq.direct", "k")));
    permit("app", ".*", ".*", "^bound$");
    Channel noRead = noWrite.getConnection().createChannel();
    assertRefused(
        refusal("exchange", "amq.direct"),
        channelClose(noRead, () -> noRead.queueBind("bound", "amq.direct", "k")));
    assertFalse(routes("amq.direct", "k", "bound"), "no binding was made");
  }

  @Test
  void unbindingAndExchangeBindingNeedWriteOnTheDestinationAndReadOnTheSource() throws Exception {
    admin.queueDeclare("bound", false, false, false, null);
    admin.queueBind("bound", "amq.direct", "k");
    admin.exchangeDeclare("dest", "fanout");
    Channel noWrite = app(".*", "^nothing$", ".*");
    assertRefused(
        refusal("queue", "bound"),
        channelClose(noWrite, () -> noWrite.queueUnbind("bound", "amq.direct", "k")));
    Channel noWriteOnX = noWrite.getConnection().createChannel();
    assertRefused(
        refusal("exchange", "dest"),
        channelClose(noWriteOnX, () -> noWriteOnX.exchangeBind("dest", "amq.direct", "k")));
    permit("app", ".*", ".*", "^(bound|dest)$");
    Channel noRead = noWrite.getConnection().createChannel();
    assertRefused(
        refusal("exchange", "amq.direct"),
        channelClose(noRead, () -> noRead.queueUnbind("bound", "amq.direct", "k")));
    Channel noReadOnX = noWrite.getConnection().createChannel();
    assertRefused(
        refusal("exchange", "amq.direct"),
        channelClose(noReadOnX, () -> noReadOnX.exchangeUnbind("dest", "amq.direct", "k")));
    assertTrue(routes("amq.direct", "k", "bound"), "the binding is kept");
  }

  @Test
  void unbindingFromATopicExchangeChecksTheTopicReadPattern() throws Exception {
    admin.queueDeclare("topics", false, false, false, null);
    admin.queueBind("topics", "amq.topic", "app.secret");
    Channel ch = app(".*", ".*", ".*");
    permitTopics("app", "amq.topic", ".*", "^app\\.public$");
    assertRefused(
        "ACCESS_REFUSED - access to topic 'app.secret' in exchange 'amq.topic' in vhost '/'"
            + " refused for user 'app'",
        channelClose(ch, () -> ch.queueUnbind("topics", "amq.topic", "app.secret")));
    assertTrue(routes("amq.topic", "app.secret", "topics"), "the binding is kept");
  }

  @Test
  void aNewExchangeWithAnAlternateNeedsWriteOnTheAlternate() throws Exception {
    Channel ch = app(".*", "^app\\.", ".*");
    assertRefused(
        refusal("exchange", "ae"),
        channelClose(
            ch,
            () ->
                ch.exchangeDeclare(
                    "app.x", "direct", false, false, Map.of("alternate-exchange", "ae"))));
    Channel probe = admin.getConnection().createChannel();
    assertEquals(
        404,
        channelClose(probe, () -> probe.exchangeDeclarePassive("app.x")).getReplyCode(),
        "nothing declared");
  }

  @Test
  void aNewQueueWithADeadLetterExchangeNeedsWriteOnIt() throws Exception {
    Channel ch = app(".*", "^app\\.", ".*");
    assertRefused(
        refusal("exchange", "dlx"),
        channelClose(
            ch,
            () ->
                ch.queueDeclare(
                    "app.q", false, false, false, Map.of("x-dead-letter-exchange", "dlx"))));
    assertFalse(queueExists("app.q"));
  }

  @Test
  void topicPermissionsCheckRoutingKeysOfPublishAndBindWithVariables() throws Exception {
    admin.queueDeclare("topics", false, false, false, null);
    admin.queueBind("topics", "amq.topic", "#");
    Channel ch = app(".*", ".*", ".*");
    permitTopics("app", "amq.topic", "^{username}\\.", "^app\\.public$");
    ch.basicPublish("amq.topic", "app.news", null, new byte[0]);
    assertRefused(
        "ACCESS_REFUSED - access to topic 'bob.news' in exchange 'amq.topic' in vhost '/'"
            + " refused for user 'app'",
        channelClose(ch, () -> ch.basicPublish("amq.topic", "bob.news", null, new byte[0])));
    Channel bind = ch.getConnection().createChannel();
    bind.queueBind("topics", "amq.topic", "app.public");
    assertRefused(
        "ACCESS_REFUSED - access to topic 'app.secret' in exchange 'amq.topic' in vhost '/'"
            + " refused for user 'app'",
        channelClose(bind, () -> bind.queueBind("topics", "amq.topic", "app.secret")));
    // Other exchanges, with no topic permission, are not restricted.
    Channel other = ch.getConnection().createChannel();
    other.exchangeDeclare("app.topics", "topic");
    other.basicPublish("app.topics", "bob.news", null, new byte[0]);
    awaitMessageCount("topics", 1);
  }

  @Test
  void userIdMustBeTheAuthenticatedUserUnlessImpersonator() throws Exception {
    admin.queueDeclare("ids", false, false, false, null);
    Channel ch = app(".*", ".*", ".*");
    AMQP.BasicProperties asBob = new AMQP.BasicProperties.Builder().userId("bob").build();
    AMQP.Channel.Close close = channelClose(ch, () -> ch.basicPublish("", "ids", asBob, null));
    assertEquals(406, close.getReplyCode());
    assertEquals(
        "PRECONDITION_FAILED - user_id property set to 'bob' but authenticated user was 'app'",
        close.getReplyText());
    user("proxy", List.of(User.IMPERSONATOR), Map.of());
    permit("proxy", ".*", ".*", ".*");
    Channel proxy = connect("proxy", "pw").createChannel();
    proxy.basicPublish("", "ids", asBob, null);
    GetResponse got = awaitGet(admin, "ids");
    assertEquals("bob", got.getProps().getUserId());
  }

  @Test
  void aUserWithoutPermissionsOnTheVhostCannotOpenIt() throws Exception {
    user("stranger", List.of(), Map.of());
    IOException refused = assertThrows(IOException.class, () -> connect("stranger", "pw"));
    ShutdownSignalException signal = (ShutdownSignalException) refused.getCause();
    AMQP.Connection.Close close = (AMQP.Connection.Close) signal.getReason();
    assertEquals(530, close.getReplyCode());
    assertEquals(
        "NOT_ALLOWED - access to vhost '/' refused for user 'stranger'", close.getReplyText());
  }

  @Test
  void permissionChangesApplyToOpenConnectionsAtTheirNextOperation() throws Exception {
    admin.queueDeclare("live", false, false, false, null);
    Channel ch = app(".*", ".*", ".*");
    ch.basicPublish("", "live", null, new byte[0]);
    awaitMessageCount("live", 1);
    unpermit("app");
    Channel opened = ch.getConnection().createChannel();
    assertRefused(
        refusal("exchange", "amq.default"),
        channelClose(opened, () -> opened.basicPublish("", "live", null, new byte[0])));
    if (broker != null) {
      // Stricter than RabbitMQ, whose channels keep allowing what they were allowed before (each
      // caches its last checks): Warren's channels see the change at their next operation too.
      assertRefused(
          refusal("exchange", "amq.default"),
          channelClose(ch, () -> ch.basicPublish("", "live", null, new byte[0])));
    }
    assertEquals(1, admin.queueDeclarePassive("live").getMessageCount());
  }

  @Test
  void userConnectionAndChannelLimitsRefuseTheOneOverWithRabbitMqsText() throws Exception {
    user("limited", List.of(), Map.of("max-connections", 1L, "max-channels", 2L));
    permit("limited", ".*", ".*", ".*");
    Connection first = connect("limited", "pw");
    IOException refused = assertThrows(IOException.class, () -> connect("limited", "pw"));
    AMQP.Connection.Close close =
        (AMQP.Connection.Close) ((ShutdownSignalException) refused.getCause()).getReason();
    assertEquals(530, close.getReplyCode());
    assertEquals(
        "NOT_ALLOWED - connection refused for user 'limited': user connection limit (1) is"
            + " reached",
        close.getReplyText());
    first.createChannel();
    first.createChannel();
    IOException over = assertThrows(IOException.class, first::createChannel);
    AMQP.Connection.Close channels =
        (AMQP.Connection.Close) ((ShutdownSignalException) over.getCause()).getReason();
    assertEquals(530, channels.getReplyCode());
    assertEquals(
        "NOT_ALLOWED - number of channels opened for user 'limited' has reached the maximum"
            + " allowed user limit of (2)",
        channels.getReplyText());
    // The closed connection's slot is free again.
    Poll.until(
        Duration.ofSeconds(10), () -> connectsAs("limited"), "the closed connection's slot free");
  }

  @Test
  void failedLoginsFromAnAddressDelayTheNextLoginFromIt() throws Exception {
    assumeWarren("RabbitMQ does not slow down failed logins");
    user("victim", List.of(), Map.of());
    permit("victim", ".*", ".*", ".*");
    assertThrows(AuthenticationFailureException.class, () -> connect("victim", "wrong"));
    assertThrows(AuthenticationFailureException.class, () -> connect("victim", "wrong"));
    long started = System.nanoTime();
    assertThrows(AuthenticationFailureException.class, () -> connect("victim", "wrong"));
    long tookMillis = (System.nanoTime() - started) / 1_000_000;
    assertTrue(
        tookMillis >= 2 * LoginThrottle.FIRST_DELAY_MILLIS,
        "the third failure in a row was answered after " + tookMillis + " ms");
    // A good login still gets in (after its delay), and clears the address: the next is at once.
    connect("victim", "pw").createChannel();
    started = System.nanoTime();
    assertThrows(AuthenticationFailureException.class, () -> connect("victim", "wrong"));
    tookMillis = (System.nanoTime() - started) / 1_000_000;
    assertTrue(tookMillis < LoginThrottle.FIRST_DELAY_MILLIS, tookMillis + " ms");
  }

  @Test
  void passwordsHashedWithSha512OrMd5LogIn() throws Exception {
    assumeWarren("hashes of other algorithms are set through Warren's Java entry");
    for (String algorithm :
        List.of("rabbit_password_hashing_sha512", "rabbit_password_hashing_md5")) {
      String name = "u-" + algorithm;
      broker
          .accessChanges()
          .putUser(
              new PutUser(
                  name, PasswordHash.hash("s3cret", algorithm), algorithm, List.of(), Map.of()))
          .join();
      permit(name, ".*", ".*", ".*");
      assertTrue(connect(name, "s3cret").isOpen());
    }
  }

  @Test
  void theDefaultMaxMessageSizeIsSixteenMebibytes() throws Exception {
    assumeWarren("RabbitMQ 3.10's default is 128 MiB; 16 MiB is RabbitMQ 4's");
    broker.close();
    broker =
        Broker.start(
            TestBroker.inProcessConfig(dataDir).toBuilder()
                .maxMessageSize(BrokerConfig.defaults().maxMessageSize())
                .build());
    Channel ch = connect("guest", "guest").createChannel();
    ch.queueDeclare("big", false, false, false, null);
    ch.basicPublish("", "big", null, new byte[16 * 1024 * 1024]);
    AMQP.Channel.Close close =
        channelClose(ch, () -> ch.basicPublish("", "big", null, new byte[16 * 1024 * 1024 + 1]));
    assertEquals(406, close.getReplyCode());
    assertEquals(
        "PRECONDITION_FAILED - message size 16777217 is larger than configured max size 16777216",
        close.getReplyText());
    Channel other = ch.getConnection().createChannel();
    assertNotNull(awaitGet(other, "big"));
  }

  /**
   * Whether a message published by guest to {@code exchange} with {@code key} reaches the empty
   * {@code queue}: a marker sent straight to the queue after it arrives after it (one channel's
   * messages to one queue keep their order), so the first message got tells.
   */
  private boolean routes(String exchange, String key, String queue) throws Exception {
    admin.basicPublish(exchange, key, null, "probe".getBytes(StandardCharsets.UTF_8));
    admin.basicPublish("", queue, null, "marker".getBytes(StandardCharsets.UTF_8));
    String first = new String(awaitGet(admin, queue).getBody(), StandardCharsets.UTF_8);
    if (first.equals("marker")) {
      return false;
    }
    awaitGet(admin, queue);
    return true;
  }

  /** RabbitMQ counts a publish in a queue's depth a moment after the publish returns. */
  private void awaitMessageCount(String queue, int count) throws Exception {
    Poll.until(
        Duration.ofSeconds(10),
        () -> admin.queueDeclarePassive(queue).getMessageCount() == count,
        count + " messages in " + queue);
  }

  /** Whether {@code user} (password "pw") can open a connection and a channel now. */
  private boolean connectsAs(String user) throws Exception {
    try {
      connect(user, "pw").createChannel();
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  private static GetResponse awaitGet(Channel ch, String queue) throws Exception {
    GetResponse[] got = new GetResponse[1];
    Poll.until(
        Duration.ofSeconds(10),
        () -> (got[0] = ch.basicGet(queue, true)) != null,
        "a message in " + queue);
    return got[0];
  }
}
