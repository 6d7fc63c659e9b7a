package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import dev.warren.broker.it.RawAmqpClient.Args;
import dev.warren.broker.it.RawAmqpClient.Close;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Short strings must be UTF-8: RabbitMQ closes the connection with 501 when a method's shortstr
 * argument is not, rather than taking the octets for another name. It does not check basic.publish,
 * field table names or content properties.
 */
class MalformedUtf8Test {
  private static final Close MALFORMED =
      new Close(501, "FRAME_ERROR - Malformed UTF-8 in shortstr", 0, 0);

  @RegisterExtension final AmqpSession session = new AmqpSession();

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ff", "c0af", "e282", "f888808080", "80"})
  void queueDeclareOfAMalformedNameIsFrameErrorAndDeclaresNothing(String octets) throws Exception {
    String prefix = AmqpSession.uniqueName("utf8");
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.openChannel(1);
      raw.sendMethod(1, queueDeclare(concat(prefix, HexFormat.of().parseHex(octets))));
      assertEquals(MALFORMED, raw.expectConnectionClose());
    }
    String replaced = session.trackQueue(prefix + "\uFFFD");
    Channel ch = session.channel();
    assertEquals(
        AMQP.NOT_FOUND, AmqpErrors.channelErrorCode(ch, () -> ch.queueDeclarePassive(replaced)));
  }

  /** Checked in every method but basic.publish, whatever the argument. */
  private enum Argument {
    EXCHANGE_NAME,
    EXCHANGE_TYPE,
    BINDING_KEY,
    CONSUMER_TAG,
    QUEUE_TO_PURGE,
    CHANNEL_CLOSE_TEXT;

    Args method(byte[] bad) {
      return switch (this) {
        case EXCHANGE_NAME ->
            new Args()
                .method(40, 10)
                .shortInt(0)
                .shortStr(bad)
                .shortStr("direct")
                .bits(false, false, false, false, false)
                .table(Map.of());
        case EXCHANGE_TYPE ->
            new Args()
                .method(40, 10)
                .shortInt(0)
                .shortStr(AmqpSession.uniqueName("exchange"))
                .shortStr(bad)
                .bits(false, false, false, false, false)
                .table(Map.of());
        case BINDING_KEY ->
            new Args()
                .method(50, 20)
                .shortInt(0)
                .shortStr("q")
                .shortStr("amq.direct")
                .shortStr(bad)
                .bits(false)
                .table(Map.of());
        case CONSUMER_TAG ->
            new Args()
                .method(60, 20)
                .shortInt(0)
                .shortStr("q")
                .shortStr(bad)
                .bits(false, true, false, false)
                .table(Map.of());
        case QUEUE_TO_PURGE -> new Args().method(50, 30).shortInt(0).shortStr(bad).bits(false);
        case CHANNEL_CLOSE_TEXT ->
            new Args().method(20, 40).shortInt(200).shortStr(bad).shortInt(0).shortInt(0);
      };
    }
  }

  @ParameterizedTest
  @EnumSource(Argument.class)
  void malformedShortstrArgumentIsFrameError(Argument argument) throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.openChannel(1);
      raw.sendMethod(1, argument.method(new byte[] {'x', (byte) 0xff}));
      assertEquals(MALFORMED, raw.expectConnectionClose());
    }
  }

  /** On channel 0 RabbitMQ names the method. */
  @Test
  void malformedVirtualHostNameIsFrameErrorNamingConnectionOpen() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.connect()) {
      raw.startOk("guest", "guest");
      raw.readTune();
      raw.tuneOk(2047, 131072, 0);
      raw.sendMethod(
          0,
          new Args()
              .method(10, 40)
              .shortStr(new byte[] {'/', (byte) 0xff})
              .shortStr("")
              .bits(false));
      assertEquals(new Close(501, MALFORMED.replyText(), 10, 40), raw.expectConnectionClose());
    }
  }

  /** Field table names and properties are not checked, nor is basic.publish: the message goes. */
  @Test
  void publishWithMalformedHeaderNamesAndPropertiesIsDelivered() throws Exception {
    String q = session.declareQueue();
    byte[] body = {1, 2, 3};
    byte[] bad = {'x', (byte) 0xff};
    byte[] headers =
        new Args().shortStr(bad).octet('S').longStr("v".getBytes(StandardCharsets.UTF_8)).bytes();
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.openChannel(1);
      raw.sendMethod(
          1, new Args().method(60, 40).shortInt(0).shortStr("").shortStr(q).bits(false, false));
      // flags: content-type (bit 15), headers (bit 13), message-id (bit 7)
      raw.sendFrame(
          RawAmqpClient.FRAME_HEADER,
          1,
          new Args()
              .shortInt(60)
              .shortInt(0)
              .longLong(body.length)
              .shortInt(0x8000 | 0x2000 | 0x0080)
              .shortStr(bad)
              .rawTable(headers)
              .shortStr(bad)
              .bytes());
      raw.sendFrame(RawAmqpClient.FRAME_BODY, 1, body);
      raw.sendMethod(1, new Args().method(85, 10).bits(false));
      raw.expectMethod(85, 11);
    }
    GetResponse got = Messages.await(session.channel(), q, true);
    assertArrayEquals(body, got.getBody());
    assertEquals(1, got.getProps().getHeaders().size());
  }

  @Test
  void publishToAMalformedRoutingKeyIsNotAnError() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.openChannel(1);
      raw.sendMethod(
          1,
          new Args()
              .method(60, 40)
              .shortInt(0)
              .shortStr("")
              .shortStr(new byte[] {(byte) 0xff})
              .bits(false, false));
      raw.sendContentHeader(1, 0);
      raw.sendMethod(1, new Args().method(85, 10).bits(false));
      raw.expectMethod(85, 11);
    }
  }

  @Test
  void wellFormedNonAsciiNamesKeepEveryCharacter() throws Exception {
    String name = session.trackQueue(AmqpSession.uniqueName("utf8") + ".é€\uD83D\uDE00\uFFFD");
    Channel ch = session.channel();
    assertEquals(name, ch.queueDeclare(name, false, false, false, null).getQueue());
    assertEquals(name, ch.queueDeclarePassive(name).getQueue());
  }

  /**
   * Compatibility note: an encoded UTF-16 surrogate is malformed UTF-8 (RFC 3629) and refused here;
   * RabbitMQ 3.10 lets it through as a name that no Java string could hold.
   */
  @Test
  void encodedSurrogateIsMalformed() throws Exception {
    assumeFalse(TestBroker.isExternal(), "RabbitMQ 3.10 accepts an encoded surrogate");
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.openChannel(1);
      byte[] name = concat(AmqpSession.uniqueName("utf8"), new byte[] {(byte) 0xed, -96, -128});
      raw.sendMethod(1, queueDeclare(name));
      assertEquals(MALFORMED, raw.expectConnectionClose());
    }
  }

  private static Args queueDeclare(byte[] name) {
    return new Args()
        .method(50, 10)
        .shortInt(0)
        .shortStr(name)
        .bits(false, false, true, false, false)
        .table(Map.of());
  }

  private static byte[] concat(String prefix, byte[] octets) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(prefix.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(octets);
    return out.toByteArray();
  }
}
