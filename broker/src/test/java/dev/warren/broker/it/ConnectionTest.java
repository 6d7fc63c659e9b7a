package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.LongString;
import com.rabbitmq.client.SaslMechanism;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.impl.LongStringHelper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Connection negotiation, authentication and close, through the RabbitMQ Java client. */
class ConnectionTest {
  @RegisterExtension final AmqpSession session = new AmqpSession();

  @Test
  void serverPropertiesNameProductVersionAndPlatform() {
    Map<String, Object> props = session.connection().getServerProperties();
    for (String key : List.of("product", "version", "platform")) {
      Object value = props.get(key);
      assertInstanceOf(LongString.class, value, key);
      assertFalse(value.toString().isBlank(), key);
    }
  }

  @Test
  void serverCapabilitiesAdvertiseEveryRabbitMqExtension() {
    Object table = session.connection().getServerProperties().get("capabilities");
    Map<?, ?> capabilities = assertInstanceOf(Map.class, table);
    for (String capability :
        List.of(
            "publisher_confirms",
            "exchange_exchange_bindings",
            "basic.nack",
            "consumer_cancel_notify",
            "connection.blocked",
            "consumer_priorities",
            "authentication_failure_close",
            "per_consumer_qos",
            "direct_reply_to")) {
      assertEquals(Boolean.TRUE, capabilities.get(capability), capability);
    }
  }

  @Test
  void plainAuthenticationOpensAUsableConnection() throws Exception {
    ConnectionFactory factory = TestBroker.connectionFactory();
    factory.setSaslConfig(mechanisms -> mechanism("PLAIN", plainResponse()));
    try (Connection c = factory.newConnection()) {
      assertUsable(c);
    }
  }

  @Test
  void amqplainAuthenticationOpensAUsableConnection() throws Exception {
    ConnectionFactory factory = TestBroker.connectionFactory();
    factory.setSaslConfig(mechanisms -> mechanism("AMQPLAIN", amqplainResponse("guest", "guest")));
    try (Connection c = factory.newConnection()) {
      assertUsable(c);
    }
  }

  @Test
  void serverOffersPlainAndAmqplainMechanisms() throws Exception {
    ConnectionFactory factory = TestBroker.connectionFactory();
    CompletableFuture<List<String>> offered = new CompletableFuture<>();
    factory.setSaslConfig(
        mechanisms -> {
          offered.complete(Arrays.asList(mechanisms));
          return mechanism("PLAIN", plainResponse());
        });
    try (Connection c = factory.newConnection()) {
      assertTrue(c.isOpen());
      assertTrue(offered.get().containsAll(List.of("PLAIN", "AMQPLAIN")), offered.get().toString());
    }
  }

  @Test
  void amqplainWithWrongPasswordIsRefused() {
    ConnectionFactory factory = TestBroker.connectionFactory();
    factory.setSaslConfig(mechanisms -> mechanism("AMQPLAIN", amqplainResponse("guest", "wrong")));
    assertThrows(AuthenticationFailureException.class, factory::newConnection);
  }

  @Test
  void wrongPasswordIsRefusedWithAuthenticationFailure() {
    ConnectionFactory factory = TestBroker.connectionFactory();
    factory.setPassword("not-the-password");
    AuthenticationFailureException e =
        assertThrows(AuthenticationFailureException.class, factory::newConnection);
    assertTrue(e.getMessage().startsWith("ACCESS_REFUSED"), e.getMessage());
  }

  @Test
  void unknownUserIsRefusedWithAuthenticationFailure() {
    ConnectionFactory factory = TestBroker.connectionFactory();
    factory.setUsername(AmqpSession.uniqueName("nobody"));
    assertThrows(AuthenticationFailureException.class, factory::newConnection);
  }

  @Test
  void unknownVirtualHostIsNotAllowed() {
    ConnectionFactory factory = TestBroker.connectionFactory();
    factory.setVirtualHost(AmqpSession.uniqueName("no-such-vhost"));
    IOException e = assertThrows(IOException.class, factory::newConnection);
    ShutdownSignalException signal = assertInstanceOf(ShutdownSignalException.class, e.getCause());
    assertTrue(signal.isHardError());
    assertEquals(AMQP.NOT_ALLOWED, AmqpErrors.replyCode(signal));
  }

  @Test
  void clientAskingForNoLimitsGetsTheServerTuneValues() throws Exception {
    ConnectionFactory factory = TestBroker.connectionFactory();
    factory.setRequestedChannelMax(0);
    factory.setRequestedFrameMax(0);
    factory.setRequestedHeartbeat(0);
    try (Connection c = factory.newConnection()) {
      assertEquals(2047, c.getChannelMax());
      assertEquals(131072, c.getFrameMax());
      assertEquals(60, c.getHeartbeat());
    }
  }

  @Test
  void smallerClientTuneValuesWin() throws Exception {
    ConnectionFactory factory = TestBroker.connectionFactory();
    factory.setRequestedChannelMax(10);
    factory.setRequestedFrameMax(8192);
    factory.setRequestedHeartbeat(5);
    try (Connection c = factory.newConnection()) {
      assertEquals(10, c.getChannelMax());
      assertEquals(8192, c.getFrameMax());
      assertEquals(5, c.getHeartbeat());
      // a body larger than the negotiated frame-max is split by the client and reassembled
      Channel ch = c.createChannel();
      String q = session.queueName();
      ch.queueDeclare(q, false, false, false, null);
      byte[] body = new byte[50_000];
      Arrays.fill(body, (byte) 'x');
      ch.basicPublish("", q, null, body);
      assertEquals(body.length, Messages.get(ch, q, true).getBody().length);
    }
  }

  @Test
  void manyChannelsCanBeOpenOnOneConnection() throws Exception {
    Connection c = session.connection();
    Channel[] channels = new Channel[50];
    for (int i = 0; i < channels.length; i++) {
      channels[i] = c.createChannel();
      channels[i].exchangeDeclarePassive("amq.direct");
    }
    for (Channel ch : channels) {
      ch.close();
    }
    assertTrue(c.isOpen());
  }

  @Test
  void clientCloseIsConfirmedAndLeavesNoOpenChannels() throws Exception {
    Connection c = session.newConnection();
    Channel ch = c.createChannel();
    c.close(AMQP.REPLY_SUCCESS, "bye", 5_000);
    assertFalse(c.isOpen());
    assertFalse(ch.isOpen());
    ShutdownSignalException reason = c.getCloseReason();
    assertTrue(reason.isInitiatedByApplication());
    assertEquals(AMQP.REPLY_SUCCESS, AmqpErrors.replyCode(reason));
  }

  @Test
  void serverInitiatedCloseIsObservedByTheClient() throws Exception {
    Connection c = session.newConnection();
    Channel ch = c.createChannel();
    Channel other = c.createChannel();
    CompletableFuture<ShutdownSignalException> observed = new CompletableFuture<>();
    c.addShutdownListener(observed::complete);
    String q = session.declareQueue();
    // immediate=true is a connection error in RabbitMQ 3.x (540 NOT_IMPLEMENTED)
    ch.basicPublish("", q, false, true, null, Messages.bytes("x"));
    ShutdownSignalException signal = observed.get(10, TimeUnit.SECONDS);
    assertTrue(signal.isHardError());
    assertFalse(signal.isInitiatedByApplication());
    assertEquals(AMQP.NOT_IMPLEMENTED, AmqpErrors.replyCode(signal));
    AmqpErrors.awaitClosed(c);
    assertFalse(other.isOpen(), "every channel closes with its connection");
  }

  private static void assertUsable(Connection c) throws IOException {
    assertTrue(c.isOpen());
    Channel ch = c.createChannel();
    assertNotNull(ch.exchangeDeclarePassive("amq.direct"));
  }

  private static SaslMechanism mechanism(String name, byte[] response) {
    return new SaslMechanism() {
      @Override
      public String getName() {
        return name;
      }

      @Override
      public LongString handleChallenge(LongString challenge, String username, String password) {
        return LongStringHelper.asLongString(response);
      }
    };
  }

  private static byte[] plainResponse() {
    return "\0guest\0guest".getBytes(StandardCharsets.UTF_8);
  }

  /** AMQPLAIN: a field table without its length prefix, LOGIN and PASSWORD as long strings. */
  static byte[] amqplainResponse(String user, String password) {
    return new RawAmqpClient.Args()
        .shortStr("LOGIN")
        .octet('S')
        .longStr(user.getBytes(StandardCharsets.UTF_8))
        .shortStr("PASSWORD")
        .octet('S')
        .longStr(password.getBytes(StandardCharsets.UTF_8))
        .bytes();
  }
}
