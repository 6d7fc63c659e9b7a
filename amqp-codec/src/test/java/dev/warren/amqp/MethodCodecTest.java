package dev.warren.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.amqp.method.AmqpClass;
import dev.warren.amqp.method.BasicDeliver;
import dev.warren.amqp.method.BasicNack;
import dev.warren.amqp.method.BasicPublish;
import dev.warren.amqp.method.ConfirmSelect;
import dev.warren.amqp.method.ConnectionBlocked;
import dev.warren.amqp.method.ConnectionClose;
import dev.warren.amqp.method.ConnectionStartOk;
import dev.warren.amqp.method.ConnectionTune;
import dev.warren.amqp.method.ConnectionUnblocked;
import dev.warren.amqp.method.ExchangeDeclare;
import dev.warren.amqp.method.Method;
import dev.warren.amqp.method.MethodDecoder;
import dev.warren.amqp.method.QueueDeclare;
import dev.warren.amqp.method.TxCommitOk;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Method payloads against bytes written by hand from spec 4.2.5 and section 1 (method list). */
class MethodCodecTest {

  private static void assertGolden(Method expected, String payloadSpec) {
    ByteBuf payload = Hex.buf(payloadSpec);
    try {
      assertEquals(expected, MethodDecoder.decode(payload));
    } finally {
      payload.release();
    }
    ByteBuf out = Unpooled.buffer();
    try {
      expected.encode(out);
      assertEquals(Hex.canonical(payloadSpec), Hex.of(out));
    } finally {
      out.release();
    }
  }

  @Test
  void queueDeclareBitsArePackedIntoOneOctetLowBitFirst() {
    assertGolden(
        new QueueDeclare(0, "orders", false, true, false, true, false, Map.of()),
        "0032 000a 0000 06'orders' 0a 00000000");
  }

  @Test
  void exchangeDeclareCarriesTypeFiveBitsAndArguments() {
    Map<String, Object> args = Map.of("alternate-exchange", LongString.of("ae"));
    assertGolden(
        new ExchangeDeclare(0, "x", "topic", true, false, true, false, true, args),
        "0028 000a 0000 01'x' 05'topic' 15" + " 0000001a 12'alternate-exchange' 'S' 00000002 'ae'");
  }

  @Test
  void basicPublishHasContentAndTwoBits() {
    BasicPublish publish = new BasicPublish(0, "amq.direct", "rk", true, false);
    assertGolden(publish, "003c 0028 0000 0a'amq.direct' 02'rk' 01");
    assertTrue(publish.hasContent());
    assertEquals("basic.publish", publish.name());
  }

  @Test
  void basicDeliverMixesShortstrLonglongAndBit() {
    assertGolden(
        new BasicDeliver("ctag", 0x0102030405060708L, true, "", "k"),
        "003c 003c 04'ctag' 0102030405060708 01 00 01'k'");
  }

  @Test
  void basicNackPacksMultipleAndRequeue() {
    assertGolden(new BasicNack(7, false, true), "003c 0078 0000000000000007 02");
  }

  @Test
  void connectionCloseNamesTheFailingMethod() {
    ConnectionClose close = new ConnectionClose(406, "PRECONDITION_FAILED - x", 50, 10);
    assertGolden(close, "000a 0032 0196 17'PRECONDITION_FAILED - x' 0032 000a");
    assertEquals(AmqpClass.CONNECTION, close.classId());
    assertEquals(50, close.failingClassId());
  }

  @Test
  void connectionStartOkHasTableShortstrAndLongstr() {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("product", LongString.of("p"));
    assertGolden(
        new ConnectionStartOk(props, "PLAIN", LongString.of("\0u\0p"), "en_US"),
        "000a 000b 0000000e 07'product' 'S' 00000001 'p' 05'PLAIN' 00000004 00'u'00'p'"
            + " 05'en_US'");
  }

  @Test
  void connectionTuneHasShortLongShort() {
    assertGolden(new ConnectionTune(2047, 131072, 60), "000a 001e 07ff 00020000 003c");
  }

  @Test
  void confirmSelectAndMethodsWithoutArguments() {
    assertGolden(new ConfirmSelect(true), "0055 000a 01");
    assertGolden(new TxCommitOk(), "005a 0015");
  }

  @Test
  void rabbitMqConnectionExtensionsHaveTheirWireIds() {
    assertGolden(new ConnectionBlocked("low on memory"), "000a 003c 0d'low on memory'");
    assertGolden(new ConnectionUnblocked(), "000a 003d");
  }

  @Test
  void shortstrIsDecodedAsUtf8() {
    assertGolden(new BasicPublish(0, "\u00e9", "", false, false), "003c 0028 0000 02 c3a9 00 00");
  }

  @Test
  void everyMethodSurvivesEncodeThenDecode() throws Exception {
    Class<?>[] records = Method.class.getPermittedSubclasses();
    // The spec's 60, and RabbitMQ's connection.blocked, unblocked, update-secret, update-secret-ok.
    assertEquals(64, records.length);
    for (Class<?> type : records) {
      Method method = sample(type);
      ByteBuf out = Unpooled.buffer();
      try {
        method.encode(out);
        assertEquals(method, MethodDecoder.decode(out), type.getSimpleName());
        assertEquals(0, out.readableBytes());
      } finally {
        out.release();
      }
    }
  }

  /** A record with every bit set and every other field non-default. */
  private static Method sample(Class<?> type) throws Exception {
    RecordComponent[] components = type.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    Object[] values = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      values[i] =
          switch (types[i].getSimpleName()) {
            case "boolean" -> true;
            case "int" -> 200 + i;
            case "long" -> Long.MAX_VALUE - i;
            case "String" -> "s" + i;
            case "LongString" -> LongString.of("long" + i);
            case "Map" -> Map.of("k" + i, i);
            default -> throw new AssertionError(types[i]);
          };
    }
    Constructor<?> constructor = type.getDeclaredConstructor(types);
    return (Method) constructor.newInstance(values);
  }

  @Test
  void unknownMethodIsNotImplemented() {
    ConnectionException e = decodeFails("003c 0063");
    assertEquals(ReplyCode.NOT_IMPLEMENTED, e.replyCode());
    assertEquals(60, e.classId());
    assertEquals(99, e.methodId());
  }

  @Test
  void unknownClassIsNotImplemented() {
    assertEquals(ReplyCode.NOT_IMPLEMENTED, decodeFails("0063 000a").replyCode());
  }

  /** RabbitMQ: 501 "cannot decode" and the argument octets, naming the method. */
  @Test
  void truncatedArgumentsAreAFrameErrorNamingTheMethod() {
    ConnectionException e = decodeFails("0032 000a 0000 06'ord'");
    assertEquals(ReplyCode.FRAME_ERROR, e.replyCode());
    assertEquals("cannot decode <<0,0,6,111,114,100>>", e.text());
    assertEquals(50, e.classId());
    assertEquals(10, e.methodId());
  }

  @Test
  void malformedArgumentTableIsASyntaxErrorNamingTheMethod() {
    ConnectionException e = decodeFails("0032 000a 0000 01'q' 00 00000003 01'a' 'Z'");
    assertEquals(ReplyCode.SYNTAX_ERROR, e.replyCode());
    assertTrue(e.text().contains("queue.declare"), e.text());
  }

  @Test
  void argumentTableRunningPastTheFrameIsAFrameErrorNamingTheMethod() {
    ConnectionException e = decodeFails("0032 000a 0000 01'q' 00 000000ff 01'a' 't' 01");
    assertEquals(ReplyCode.FRAME_ERROR, e.replyCode());
    assertTrue(e.text().startsWith("cannot decode <<0,0,1,113,0,0,0,0,255,"), e.text());
    assertEquals(50, e.classId());
  }

  @Test
  void bytesAfterTheArgumentsAreAFrameError() {
    ConnectionException e = decodeFails("005a 0015 00");
    assertEquals(ReplyCode.FRAME_ERROR, e.replyCode());
    assertEquals("cannot decode <<0>>", e.text());
    assertEquals(90, e.classId());
    assertEquals(21, e.methodId());
  }

  @Test
  void payloadWithoutMethodIdIsAFrameError() {
    ConnectionException e = decodeFails("005a");
    assertEquals(ReplyCode.FRAME_ERROR, e.replyCode());
    assertEquals("type 1, all octets = <<0,90>>: unknown_frame", e.text());
  }

  /** RabbitMQ checks the UTF-8 of shortstr arguments: 501, naming no method. */
  @Test
  void malformedUtf8InAShortstrArgumentIsAFrameError() {
    for (String name : List.of("ff", "c0af", "e282", "eda080", "f4908080", "f888808080")) {
      ConnectionException e = decodeFails("0032 000a 0000 0" + name.length() / 2 + " " + name);
      assertEquals(ReplyCode.FRAME_ERROR, e.replyCode(), name);
      assertEquals(Wire.MALFORMED_UTF8, e.text(), name);
      assertEquals(0, e.classId(), name);
    }
  }

  @Test
  void wellFormedUtf8InAShortstrArgumentIsDecodedExactly() {
    String name = "é-€-\uD83D\uDE00-\uFFFD";
    ByteBuf out = Unpooled.buffer();
    try {
      new QueueDeclare(0, name, false, false, false, false, false, Map.of()).encode(out);
      assertEquals(name, ((QueueDeclare) MethodDecoder.decode(out)).queue());
    } finally {
      out.release();
    }
  }

  /** RabbitMQ does not check basic.publish's exchange and routing key: neither do we. */
  @Test
  void basicPublishTakesMalformedUtf8AsReplacementCharacters() {
    ByteBuf payload = Hex.buf("003c 0028 0000 01 ff 02 'k' fe 00");
    try {
      BasicPublish publish = (BasicPublish) MethodDecoder.decode(payload);
      assertEquals("\uFFFD", publish.exchange());
      assertEquals("k\uFFFD", publish.routingKey());
    } finally {
      payload.release();
    }
  }

  @Test
  void shortstrLongerThan255BytesCannotBeEncoded() {
    ByteBuf out = Unpooled.buffer();
    try {
      BasicPublish publish = new BasicPublish(0, "", "k".repeat(256), false, false);
      assertThrows(IllegalArgumentException.class, () -> publish.encodeArguments(out));
    } finally {
      out.release();
    }
  }

  private static ConnectionException decodeFails(String payloadSpec) {
    ByteBuf payload = Hex.buf(payloadSpec);
    try {
      return assertThrows(ConnectionException.class, () -> MethodDecoder.decode(payload));
    } finally {
      payload.release();
    }
  }
}
