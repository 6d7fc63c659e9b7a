package dev.warren.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Content properties of class basic (spec 4.2.6.1) against hand-written bytes. */
class BasicPropertiesTest {

  private static void assertGolden(BasicProperties expected, String spec) {
    ByteBuf in = Hex.buf(spec);
    try {
      assertEquals(expected, BasicProperties.decode(in));
      assertEquals(0, in.readableBytes());
    } finally {
      in.release();
    }
    ByteBuf out = Unpooled.buffer();
    try {
      expected.encode(out);
      assertEquals(Hex.canonical(spec), Hex.of(out));
    } finally {
      out.release();
    }
  }

  @Test
  void noPropertiesIsAZeroFlagsWord() {
    assertGolden(BasicProperties.EMPTY, "0000");
  }

  @Test
  void contentTypeAndDeliveryModeSetBits15And12() {
    assertGolden(
        new BasicProperties(
            "text/plain",
            null,
            null,
            2,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null),
        "9000 0a'text/plain' 02");
  }

  @Test
  void allFourteenPropertiesAreWrittenInSpecOrder() {
    assertGolden(
        new BasicProperties(
            "ct",
            "ce",
            Map.of("h", true),
            1,
            9,
            "corr",
            "reply",
            "60000",
            "mid",
            new Date(1_700_000_000_000L),
            "type",
            "guest",
            "app",
            "cluster"),
        "fffc 02'ct' 02'ce' 00000004 01'h' 't' 01 01 09 04'corr' 05'reply' 05'60000' 03'mid'"
            + " 000000006553f100 04'type' 05'guest' 03'app' 07'cluster'");
  }

  @Test
  void headersAndTimestampAlone() {
    assertGolden(
        new BasicProperties(
            null,
            null,
            Map.of(),
            null,
            null,
            null,
            null,
            null,
            null,
            new Date(0),
            null,
            null,
            null,
            null),
        "2040 00000000 0000000000000000");
  }

  @Test
  void emptyContinuationFlagsWordIsAccepted() {
    ByteBuf in = Hex.buf("8001 0000 01'a'");
    try {
      assertEquals("a", BasicProperties.decode(in).contentType());
    } finally {
      in.release();
    }
  }

  @Test
  void flagOfAnUnknownPropertyIsASyntaxError() {
    assertMalformed("0002");
    assertMalformed("0001 8000");
  }

  @Test
  void truncatedPropertyListIsASyntaxError() {
    assertMalformed("8000 05'ab'");
  }

  private static void assertMalformed(String spec) {
    ByteBuf in = Hex.buf(spec);
    try {
      ConnectionException e =
          assertThrows(ConnectionException.class, () -> BasicProperties.decode(in));
      assertEquals(ReplyCode.SYNTAX_ERROR, e.replyCode());
    } finally {
      in.release();
    }
  }
}
