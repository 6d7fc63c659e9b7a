package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import dev.warren.broker.it.RawAmqpClient.Args;
import dev.warren.broker.it.RawAmqpClient.Close;
import dev.warren.broker.it.RawAmqpClient.Frame;
import dev.warren.broker.it.RawAmqpClient.Tune;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Wire-level behaviour that a client library never exercises: bad headers, bad frames, heartbeats,
 * frame ordering. Every error case also checks that the broker keeps serving other connections.
 */
class RawProtocolTest {
  private static final Duration CLOSE_DEADLINE = Duration.ofSeconds(5);

  @RegisterExtension final AmqpSession session = new AmqpSession();

  @Test
  void unsupportedProtocolVersionIsAnsweredWithAmqp091HeaderAndClosed() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.connect()) {
      raw.send(new byte[] {'A', 'M', 'Q', 'P', 0, 0, 9, 0});
      assertArrayEquals(RawAmqpClient.AMQP_0_9_1_HEADER, raw.readBytes(8));
      assertTrue(raw.closedByBrokerWithin(CLOSE_DEADLINE));
    }
    assertBrokerStillServes();
  }

  @Test
  void httpRequestIsAnsweredWithAmqp091HeaderAndClosed() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.connect()) {
      raw.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertArrayEquals(RawAmqpClient.AMQP_0_9_1_HEADER, raw.readBytes(8));
      assertTrue(raw.closedByBrokerWithin(CLOSE_DEADLINE));
    }
    assertBrokerStillServes();
  }

  @Test
  void connectionTuneProposesChannelMax2047FrameMax131072Heartbeat60() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.connect()) {
      raw.startOk("guest", "guest");
      assertEquals(new Tune(2047, 131072, 60), raw.readTune());
    }
  }

  @Test
  void wrongPasswordGetsConnectionCloseAccessRefusedWhenClientHasTheCapability() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.connect()) {
      raw.startOk("guest", "wrong-password", true);
      Close close = raw.expectConnectionClose();
      assertEquals(AMQP.ACCESS_REFUSED, close.replyCode());
      assertTrue(close.replyText().startsWith("ACCESS_REFUSED"), close.replyText());
      assertTrue(raw.closedByBrokerWithin(CLOSE_DEADLINE));
    }
    assertBrokerStillServes();
  }

  @Test
  void wrongPasswordClosesTheSocketWithoutCloseMethodWhenClientLacksTheCapability()
      throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.connect()) {
      raw.startOk("guest", "wrong-password", false);
      raw.assertClosedSilentlyWithin(Duration.ofSeconds(10));
    }
    assertBrokerStillServes();
  }

  @Test
  void tuneOkWithFrameMaxBelowTheMinimumClosesTheSocketSilently() throws Exception {
    assertTuneOkRefused(2047, 1024);
  }

  @Test
  void tuneOkWithFrameMaxAboveTheServerProposalClosesTheSocketSilently() throws Exception {
    assertTuneOkRefused(2047, 131072 * 2);
  }

  @Test
  void tuneOkWithChannelMaxZeroAfterTheServerProposedALimitClosesTheSocketSilently()
      throws Exception {
    assertTuneOkRefused(0, 131072);
  }

  /**
   * RabbitMQ does not trust a client before connection.open-ok: a bad tune-ok is not answered with
   * connection.close, the socket is just closed (after a delay).
   */
  private static void assertTuneOkRefused(int channelMax, int frameMax) throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.connect()) {
      raw.startOk("guest", "guest");
      raw.readTune();
      raw.tuneOk(channelMax, frameMax, 0);
      raw.sendConnectionOpen("/");
      raw.assertClosedSilentlyWithin(Duration.ofSeconds(10));
    }
    assertBrokerStillServes();
  }

  @Test
  void unknownVirtualHostIsNotAllowed() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.connect()) {
      raw.startOk("guest", "guest");
      raw.readTune();
      raw.tuneOk(2047, 131072, 0);
      raw.sendConnectionOpen(AmqpSession.uniqueName("no-such-vhost"));
      assertEquals(AMQP.NOT_ALLOWED, raw.expectConnectionClose().replyCode());
    }
    assertBrokerStillServes();
  }

  @Test
  void brokerSendsHeartbeatsAtTheNegotiatedIntervalAndKeepsALivelyClient() throws Exception {
    ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor();
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 1)) {
      beat.scheduleAtFixedRate(
          () -> {
            try {
              raw.sendHeartbeat();
            } catch (Exception e) {
              // the read side of the test reports a closed connection
            }
          },
          0,
          300,
          TimeUnit.MILLISECONDS);
      int heartbeats = 0;
      long start = System.nanoTime();
      while (heartbeats < 3) {
        Frame f = raw.readFrame();
        assertEquals(RawAmqpClient.FRAME_HEARTBEAT, f.type(), "only heartbeats are expected");
        assertEquals(0, f.channel());
        assertEquals(0, f.payload().length);
        heartbeats++;
      }
      assertTrue(
          System.nanoTime() - start < Duration.ofSeconds(6).toNanos(),
          "three heartbeats at a 1 s interval should take about 3 s");
      raw.openChannel(1);
    } finally {
      beat.shutdownNow();
    }
  }

  @Test
  void silentClientIsDisconnectedAfterMissedHeartbeats() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 1)) {
      long start = System.nanoTime();
      assertTrue(raw.closedByBrokerWithin(Duration.ofSeconds(10)));
      assertTrue(
          System.nanoTime() - start >= Duration.ofMillis(1900).toNanos(),
          "disconnected before two heartbeat intervals passed");
    }
    assertBrokerStillServes();
  }

  @Test
  void frameEndOtherThan0xCEIsFrameError() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.sendFrame(
          RawAmqpClient.FRAME_METHOD, 1, new Args().method(20, 10).shortStr("").bytes(), 0x00);
      assertEquals(AMQP.FRAME_ERROR, raw.expectConnectionClose().replyCode());
      assertTrue(raw.closedByBrokerWithin(CLOSE_DEADLINE));
    }
    assertBrokerStillServes();
  }

  @Test
  void frameLargerThanNegotiatedFrameMaxIsFrameError() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 4096, 0)) {
      raw.openChannel(1);
      raw.sendMethod(1, publish("", "nowhere"));
      raw.sendContentHeader(1, 10_000);
      raw.sendFrame(RawAmqpClient.FRAME_BODY, 1, new byte[10_000]);
      assertEquals(AMQP.FRAME_ERROR, raw.expectConnectionClose().replyCode());
      assertTrue(raw.closedByBrokerWithin(CLOSE_DEADLINE));
    }
    assertBrokerStillServes();
  }

  @Test
  void unknownFrameTypeIsFrameError() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.sendFrame(9, 0, new byte[] {1, 2, 3});
      assertEquals(AMQP.FRAME_ERROR, raw.expectConnectionClose().replyCode());
      assertTrue(raw.closedByBrokerWithin(CLOSE_DEADLINE));
    }
    assertBrokerStillServes();
  }

  @Test
  void methodOnChannelThatIsNotOpenIsChannelError() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.sendMethod(3, queueDeclare(AmqpSession.uniqueName("queue"), false, Map.of()));
      assertEquals(AMQP.CHANNEL_ERROR, raw.expectConnectionClose().replyCode());
      assertTrue(raw.closedByBrokerWithin(CLOSE_DEADLINE));
    }
    assertBrokerStillServes();
  }

  @Test
  void channelOpenOnAnOpenChannelIsChannelError() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.openChannel(1);
      raw.sendMethod(1, new Args().method(20, 10).shortStr(""));
      assertEquals(AMQP.CHANNEL_ERROR, raw.expectConnectionClose().replyCode());
    }
    assertBrokerStillServes();
  }

  @Test
  void methodOnChannelAfterItsCloseOkIsChannelError() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.openChannel(1);
      raw.sendMethod(
          1, new Args().method(20, 40).shortInt(200).shortStr("bye").shortInt(0).shortInt(0));
      raw.expectMethod(20, 41);
      raw.sendMethod(1, queueDeclare(AmqpSession.uniqueName("queue"), false, Map.of()));
      assertEquals(AMQP.CHANNEL_ERROR, raw.expectConnectionClose().replyCode());
    }
    assertBrokerStillServes();
  }

  /** Its out-of-band argument is reserved: whatever the client puts there, the channel opens. */
  @Test
  void channelOpenWithAnOutOfBandValueOpensTheChannel() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.sendMethod(1, new Args().method(20, 10).shortStr("out-of-band"));
      raw.expectMethod(20, 11);
    }
  }

  @Test
  void closedChannelNumberCanBeOpenedAgain() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.openChannel(1);
      raw.sendMethod(
          1, new Args().method(20, 40).shortInt(200).shortStr("bye").shortInt(0).shortInt(0));
      raw.expectMethod(20, 41);
      raw.openChannel(1);
    }
  }

  @Test
  void framesAfterBrokerSentChannelCloseAreDiscardedUntilCloseOk() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.openChannel(1);
      String missing = AmqpSession.uniqueName("missing");
      raw.sendMethod(1, queueDeclare(missing, true, Map.of()));
      Frame close = raw.expectMethod(20, 40);
      // the channel is closing: the broker must drop this, not answer it nor fail the connection
      raw.sendMethod(1, queueDeclare(missing, true, Map.of()));
      raw.sendMethod(1, new Args().method(20, 41));
      assertEquals(AMQP.NOT_FOUND, Close.parse(close).replyCode());
      raw.openChannel(1);
      raw.sendMethod(
          1, new Args().method(20, 40).shortInt(200).shortStr("").shortInt(0).shortInt(0));
      raw.expectMethod(20, 41);
    }
  }

  @Test
  void contentBodyWithoutHeaderIsUnexpectedFrame() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.openChannel(1);
      raw.sendFrame(RawAmqpClient.FRAME_BODY, 1, new byte[] {1, 2, 3});
      assertEquals(AMQP.UNEXPECTED_FRAME, raw.expectConnectionClose().replyCode());
      assertTrue(raw.closedByBrokerWithin(CLOSE_DEADLINE));
    }
    assertBrokerStillServes();
  }

  @Test
  void contentHeaderWithoutMethodIsUnexpectedFrame() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.openChannel(1);
      raw.sendContentHeader(1, 3);
      assertEquals(AMQP.UNEXPECTED_FRAME, raw.expectConnectionClose().replyCode());
      assertTrue(raw.closedByBrokerWithin(CLOSE_DEADLINE));
    }
    assertBrokerStillServes();
  }

  @Test
  void methodWhereContentHeaderIsExpectedIsUnexpectedFrame() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.openChannel(1);
      raw.sendMethod(1, publish("", "nowhere"));
      raw.sendMethod(1, queueDeclare(AmqpSession.uniqueName("queue"), false, Map.of()));
      assertEquals(AMQP.UNEXPECTED_FRAME, raw.expectConnectionClose().replyCode());
    }
    assertBrokerStillServes();
  }

  /**
   * RabbitMQ does not check a body frame against the size announced in the content header: the
   * message never completes, and the next method on the channel is an unexpected frame.
   */
  @Test
  void bodyLongerThanDeclaredInHeaderNeverCompletesTheMessage() throws Exception {
    String q = session.declareQueue();
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.openChannel(1);
      raw.sendMethod(1, publish("", q));
      raw.sendContentHeader(1, 3);
      raw.sendFrame(RawAmqpClient.FRAME_BODY, 1, new byte[] {1, 2, 3, 4, 5});
      raw.sendMethod(1, queueDeclare(q, true, Map.of()));
      assertEquals(AMQP.UNEXPECTED_FRAME, raw.expectConnectionClose().replyCode());
    }
    assertEquals(List.of(), Messages.drain(session.channel(), q), "nothing was enqueued");
    assertBrokerStillServes();
  }

  @Test
  void fieldTableWithUnknownTypeOctetEndsTheConnection() throws Exception {
    byte[] entry = new Args().shortStr("x-bad").octet('Z').longInt(0).bytes();
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.openChannel(1);
      raw.sendMethod(1, queueDeclareRawArguments(AmqpSession.uniqueName("queue"), entry));
      raw.assertConnectionEnds(AMQP.SYNTAX_ERROR);
    }
    assertBrokerStillServes();
  }

  @Test
  void fieldTableLongerThanItsMethodFrameIsFrameError() throws Exception {
    Args declare =
        new Args()
            .method(50, 10)
            .shortInt(0)
            .shortStr(AmqpSession.uniqueName("queue"))
            .bits(false, false, false, false, false)
            .longInt(1000)
            .raw(new Args().shortStr("x").octet('t').octet(1).bytes());
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.openChannel(1);
      raw.sendMethod(1, declare);
      assertEquals(AMQP.FRAME_ERROR, raw.expectConnectionClose().replyCode());
    }
    assertBrokerStillServes();
  }

  @Test
  void unknownMethodOfAKnownClassEndsTheConnection() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.openChannel(1);
      raw.sendMethod(1, new Args().method(50, 99));
      raw.assertConnectionEnds(AMQP.NOT_IMPLEMENTED);
    }
    assertBrokerStillServes();
  }

  @Test
  void unknownClassEndsTheConnection() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.openChannel(1);
      raw.sendMethod(1, new Args().method(99, 10));
      raw.assertConnectionEnds(AMQP.NOT_IMPLEMENTED);
    }
    assertBrokerStillServes();
  }

  @Test
  void openingMoreChannelsThanChannelMaxIsNotAllowed() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.open(2, 131072, 0)) {
      raw.openChannel(1);
      raw.openChannel(2);
      raw.sendMethod(3, new Args().method(20, 10).shortStr(""));
      assertEquals(AMQP.NOT_ALLOWED, raw.expectConnectionClose().replyCode());
    }
    assertBrokerStillServes();
  }

  /**
   * RabbitMQ 3.10 enforces channel-max on the number of open channels, not on channel numbers: with
   * channel-max 2, channels 5 and 9 open fine and a third channel is refused.
   */
  @Test
  void channelMaxLimitsTheCountOfOpenChannelsNotTheirNumbers() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.open(2, 131072, 0)) {
      raw.openChannel(5);
      raw.openChannel(9);
      raw.sendMethod(1, new Args().method(20, 10).shortStr(""));
      assertEquals(AMQP.NOT_ALLOWED, raw.expectConnectionClose().replyCode());
    }
    assertBrokerStillServes();
  }

  @Test
  void bodySplitOverSeveralFramesArrivesIntact() throws Exception {
    String q = session.declareQueue();
    byte[] body = new byte[10_000];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) (i * 31);
    }
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 4096, 0)) {
      raw.openChannel(1);
      raw.sendMethod(1, publish("", q));
      raw.sendContentHeader(1, body.length);
      raw.sendFrame(RawAmqpClient.FRAME_BODY, 1, Arrays.copyOfRange(body, 0, 4000));
      raw.sendFrame(RawAmqpClient.FRAME_BODY, 1, new byte[0]); // adds nothing, ends nothing
      raw.sendFrame(RawAmqpClient.FRAME_BODY, 1, Arrays.copyOfRange(body, 4000, 4001));
      raw.sendFrame(RawAmqpClient.FRAME_BODY, 1, Arrays.copyOfRange(body, 4001, 8001));
      raw.sendFrame(RawAmqpClient.FRAME_BODY, 1, Arrays.copyOfRange(body, 8001, body.length));
      // an empty body needs no body frame at all
      raw.sendMethod(1, publish("", q));
      raw.sendContentHeader(1, 0);
      // a synchronous method proves both publishes were processed before we look
      raw.sendMethod(1, queueDeclare(q, true, Map.of()));
      raw.expectMethod(50, 11);
    }
    Channel ch = session.channel();
    GetResponse first = Messages.get(ch, q, true);
    assertArrayEquals(body, first.getBody());
    assertEquals(0, Messages.get(ch, q, true).getBody().length);
  }

  /**
   * After connection.close-ok RabbitMQ leaves closing the socket to the client (it only closes it
   * itself after a long timeout) and ignores anything else the client sends.
   */
  @Test
  void connectionCloseIsAnsweredWithCloseOkAndNothingMore() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.openChannel(1);
      raw.sendMethod(
          0, new Args().method(10, 50).shortInt(200).shortStr("bye").shortInt(0).shortInt(0));
      raw.expectMethod(10, 51);
      raw.sendMethod(2, new Args().method(20, 10).shortStr(""));
      raw.assertNothingReceivedWithin(Duration.ofMillis(500));
    }
  }

  private static Args publish(String exchange, String routingKey) {
    return new Args()
        .method(60, 40)
        .shortInt(0)
        .shortStr(exchange)
        .shortStr(routingKey)
        .bits(false, false);
  }

  private static Args queueDeclare(String queue, boolean passive, Map<String, Object> arguments) {
    return new Args()
        .method(50, 10)
        .shortInt(0)
        .shortStr(queue)
        .bits(passive, false, false, false, false)
        .table(arguments);
  }

  private static Args queueDeclareRawArguments(String queue, byte[] tableEntries) {
    return new Args()
        .method(50, 10)
        .shortInt(0)
        .shortStr(queue)
        .bits(false, false, false, false, false)
        .rawTable(tableEntries);
  }

  /** Another connection can still do work: the broker survived the error. */
  private static void assertBrokerStillServes() throws Exception {
    try (Connection c = TestBroker.newConnection()) {
      Channel ch = c.createChannel();
      String q = ch.queueDeclare().getQueue();
      Messages.publish(ch, q, "alive");
      assertEquals("alive", Messages.text(Messages.get(ch, q, true).getBody()));
    }
  }
}
