package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ConnectionFactory;
import dev.warren.broker.it.RawAmqpClient.Args;
import dev.warren.broker.it.RawAmqpClient.Close;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The connection handshake (spec 2.2.4, 4.2.3) as RabbitMQ runs it: frames no larger than
 * frame-min-size until tune-ok, no word to a client that breaks the protocol before tune-ok (the
 * socket is closed), connection.close with 504 or 505 for one that breaks it after, and 504 for a
 * connection method out of turn on an open connection.
 */
class HandshakeTest {
  /** RabbitMQ waits 3 s before it drops an untrusted client. */
  private static final Duration SILENT_CLOSE = Duration.ofSeconds(10);

  /** spec 4.2.3 frame-min-size; RabbitMQ takes a payload of that size (8 octets of slack). */
  private static final int FRAME_MIN_SIZE = 4096;

  @Test
  void startOkWithAPayloadOfFrameMinSizeIsAccepted() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.connect()) {
      raw.start();
      raw.sendMethod(0, startOkWithPayloadOf(FRAME_MIN_SIZE));
      assertEquals(2047, raw.readTune().channelMax());
    }
  }

  @Test
  void startOkLargerThanFrameMinSizeIsRefusedWithoutAWord() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.connect()) {
      raw.start();
      raw.sendMethod(0, startOkWithPayloadOf(FRAME_MIN_SIZE + 1));
      raw.assertClosedSilentlyWithin(SILENT_CLOSE);
    }
  }

  /**
   * What a user sees: a client library cannot connect with 100 KB of client properties. (It fails
   * with an IOException when the broker drops it at once, with a TimeoutException when it is
   * RabbitMQ, which waits before dropping an untrusted client.)
   */
  @Test
  void clientWithHugeClientPropertiesCannotConnect() {
    ConnectionFactory factory = TestBroker.connectionFactory();
    Map<String, Object> properties = new LinkedHashMap<>(factory.getClientProperties());
    properties.put("padding", "x".repeat(100_000));
    factory.setClientProperties(properties);
    Exception e = assertThrows(Exception.class, factory::newConnection);
    assertTrue(e instanceof IOException || e instanceof TimeoutException, e.toString());
  }

  /** Ways to break the protocol before connection.tune-ok. */
  private enum BeforeTuneOk {
    START_OK_WITH_A_BAD_FRAME_END,
    UNKNOWN_FRAME_TYPE_INSTEAD_OF_START_OK,
    OPEN_INSTEAD_OF_START_OK,
    CLOSE_INSTEAD_OF_START_OK,
    CHANNEL_OPEN_BEFORE_START_OK,
    START_OK_TWICE,
    OPEN_INSTEAD_OF_TUNE_OK,
    HEARTBEAT_ON_CHANNEL_1_INSTEAD_OF_TUNE_OK,
    MALFORMED_UTF8_IN_START_OK,
    UNKNOWN_MECHANISM,
    PLAIN_RESPONSE_WITHOUT_A_PASSWORD;

    void breakProtocol(RawAmqpClient raw) throws IOException {
      raw.start();
      switch (this) {
        case START_OK_WITH_A_BAD_FRAME_END ->
            raw.sendFrame(RawAmqpClient.FRAME_METHOD, 0, startOkWithPayloadOf(200).bytes(), 0);
        case UNKNOWN_FRAME_TYPE_INSTEAD_OF_START_OK -> raw.sendFrame(9, 0, new byte[] {1});
        case OPEN_INSTEAD_OF_START_OK -> raw.sendConnectionOpen("/");
        case CLOSE_INSTEAD_OF_START_OK -> raw.sendMethod(0, connectionClose());
        case CHANNEL_OPEN_BEFORE_START_OK ->
            raw.sendMethod(1, new Args().method(20, 10).shortStr(""));
        case START_OK_TWICE -> {
          raw.sendMethod(0, startOkWithPayloadOf(200));
          raw.readTune();
          raw.sendMethod(0, startOkWithPayloadOf(200));
        }
        case OPEN_INSTEAD_OF_TUNE_OK -> {
          raw.sendMethod(0, startOkWithPayloadOf(200));
          raw.readTune();
          raw.sendConnectionOpen("/");
        }
        case HEARTBEAT_ON_CHANNEL_1_INSTEAD_OF_TUNE_OK -> {
          raw.sendMethod(0, startOkWithPayloadOf(200));
          raw.readTune();
          raw.sendFrame(RawAmqpClient.FRAME_HEARTBEAT, 1, new byte[0]);
        }
        case MALFORMED_UTF8_IN_START_OK -> {
          Args startOk =
              new Args()
                  .method(10, 11)
                  .table(Map.of())
                  .shortStr(new byte[] {'P', 'L', (byte) 0xff})
                  .longStr("\0guest\0guest".getBytes(StandardCharsets.UTF_8))
                  .shortStr("en_US");
          raw.sendMethod(0, startOk);
        }
        case UNKNOWN_MECHANISM -> raw.sendMethod(0, startOkWith("EXTERNAL", ""));
        case PLAIN_RESPONSE_WITHOUT_A_PASSWORD ->
            raw.sendMethod(0, startOkWith("PLAIN", "\0guest"));
      }
    }

    /**
     * A start-ok asking for connection.close on a failed login: even so, a malformed login is
     * dropped without a word.
     */
    private static Args startOkWith(String mechanism, String response) {
      return new Args()
          .method(10, 11)
          .table(
              Map.<String, Object>of("capabilities", Map.of("authentication_failure_close", true)))
          .shortStr(mechanism)
          .longStr(response.getBytes(StandardCharsets.UTF_8))
          .shortStr("en_US");
    }
  }

  /**
   * The socket closes without connection.close; RabbitMQ waits 3 s first, Warren does not
   * (compatibility note), which the in-process run checks.
   */
  @ParameterizedTest
  @EnumSource(BeforeTuneOk.class)
  void protocolErrorBeforeTuneOkClosesTheSocketWithoutAWord(BeforeTuneOk error) throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.connect()) {
      error.breakProtocol(raw);
      long start = System.nanoTime();
      raw.assertClosedSilentlyWithin(SILENT_CLOSE);
      Duration waited = Duration.ofNanos(System.nanoTime() - start);
      if (!TestBroker.isExternal()) {
        assertTrue(waited.compareTo(Duration.ofSeconds(2)) < 0, "closed after " + waited);
      }
    }
  }

  /** A well-formed login that fails is answered, to a client that asked, naming no method. */
  @Test
  void wrongPasswordIsAccessRefusedInRabbitMqsWords() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.connect()) {
      raw.startOk("guest", "not-the-password", true);
      assertEquals(
          new Close(
              403,
              "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN. For"
                  + " details see the broker logfile.",
              0,
              0),
          raw.expectConnectionClose());
    }
  }

  /**
   * Compatibility note: only AMQP 0-9-1 is spoken. RabbitMQ 3.10 still starts a connection for a
   * client offering AMQP 0-8 or 0-9; here such a client gets the 0-9-1 header back, as any other
   * protocol does.
   */
  @ParameterizedTest
  @ValueSource(strings = {"414d515001010009", "414d515001010800"})
  void olderAmqpVersionsAreAnsweredWithTheAmqp091Header(String header) throws Exception {
    assumeFalse(TestBroker.isExternal(), "RabbitMQ 3.10 speaks AMQP 0-8 and 0-9 too");
    try (RawAmqpClient raw = RawAmqpClient.connect()) {
      raw.send(HexFormat.of().parseHex(header));
      assertArrayEquals(RawAmqpClient.AMQP_0_9_1_HEADER, raw.readBytes(8));
      assertTrue(raw.closedByBrokerWithin(SILENT_CLOSE));
    }
  }

  /** The client's tune-ok decides the heartbeat, even one longer than the broker proposed. */
  @Test
  void tuneOkMayAskForALongerHeartbeatThanProposed() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 65535)) {
      raw.openChannel(1);
    }
  }

  @Test
  void heartbeatsDuringTheHandshakeAreIgnored() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.connect()) {
      raw.start();
      raw.sendHeartbeat();
      raw.sendMethod(0, startOkWithPayloadOf(200));
      raw.readTune();
      raw.sendHeartbeat();
      raw.tuneOk(2047, 131072, 0);
      raw.sendHeartbeat();
      raw.openVhost("/");
    }
  }

  /** After tune-ok RabbitMQ answers with connection.close, naming its state and the method. */
  @Test
  void connectionMethodOtherThanOpenAfterTuneOkIsChannelError() throws Exception {
    try (RawAmqpClient raw = tuned()) {
      raw.tuneOk(2047, 131072, 0);
      assertEquals(
          new Close(504, "CHANNEL_ERROR - unexpected method in connection state opening", 10, 31),
          raw.expectConnectionClose());
      assertTrue(raw.closedByBrokerWithin(SILENT_CLOSE));
    }
  }

  /** Even connection.close: RabbitMQ does not take it between tune-ok and open. */
  @Test
  void connectionCloseBeforeOpenIsChannelError() throws Exception {
    try (RawAmqpClient raw = tuned()) {
      raw.sendMethod(0, connectionClose());
      assertEquals(
          new Close(504, "CHANNEL_ERROR - unexpected method in connection state opening", 10, 50),
          raw.expectConnectionClose());
    }
  }

  @Test
  void channelOpenBeforeConnectionOpenIsUnexpectedFrame() throws Exception {
    try (RawAmqpClient raw = tuned()) {
      raw.sendMethod(1, new Args().method(20, 10).shortStr(""));
      assertEquals(AMQP.UNEXPECTED_FRAME, raw.expectConnectionClose().replyCode());
    }
  }

  /** Methods on channel 0 that have had their turn, or are not connection methods at all. */
  private enum OutOfTurn {
    START_OK(startOkWithPayloadOf(200), 10, 11),
    TUNE_OK(new Args().method(10, 31).shortInt(2047).longInt(131072).shortInt(0), 10, 31),
    OPEN(new Args().method(10, 40).shortStr("/").shortStr("").bits(false), 10, 40),
    CLOSE_OK(new Args().method(10, 51), 10, 51),
    CHANNEL_OPEN(new Args().method(20, 10).shortStr(""), 20, 10),
    QUEUE_DECLARE(
        new Args()
            .method(50, 10)
            .shortInt(0)
            .shortStr("")
            .bits(false, false, false, false, false)
            .table(Map.of()),
        50,
        10);

    final Args method;
    final int classId;
    final int methodId;

    OutOfTurn(Args method, int classId, int methodId) {
      this.method = method;
      this.classId = classId;
      this.methodId = methodId;
    }
  }

  @ParameterizedTest
  @EnumSource(OutOfTurn.class)
  void methodOutOfTurnOnChannelZeroOfAnOpenConnectionIsChannelError(OutOfTurn m) throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.sendMethod(0, m.method);
      assertEquals(
          new Close(
              504,
              "CHANNEL_ERROR - unexpected method in connection state running",
              m.classId,
              m.methodId),
          raw.expectConnectionClose());
    }
  }

  /** Connected, start-ok sent and tune read: the client's next word is tune-ok. */
  private static RawAmqpClient tuned() throws IOException {
    RawAmqpClient raw = RawAmqpClient.connect();
    raw.startOk("guest", "guest");
    raw.readTune();
    raw.tuneOk(2047, 131072, 0);
    return raw;
  }

  private static Args connectionClose() {
    return new Args().method(10, 50).shortInt(200).shortStr("bye").shortInt(0).shortInt(0);
  }

  /** connection.start-ok as guest whose frame payload is exactly {@code size} octets. */
  private static Args startOkWithPayloadOf(int size) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("product", "warren raw test client");
    properties.put("padding", "");
    int base = RawAmqpClient.startOkArguments("guest", "guest", properties).bytes().length;
    properties.put("padding", "x".repeat(size - base));
    Args startOk = RawAmqpClient.startOkArguments("guest", "guest", properties);
    assertEquals(size, startOk.bytes().length);
    return startOk;
  }
}
