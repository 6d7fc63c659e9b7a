package dev.warren.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

/** Octets in a reply text as RabbitMQ writes them (an Erlang binary). */
class OctetsTest {
  @Test
  void printableAsciiIsWrittenAsAQuotedString() {
    assertEquals("<<\"AB\">>", format("'AB'"));
    assertEquals("<<\"a\\\"b\\\\\">>", format("'a' 22 'b' 5c"));
  }

  @Test
  void anythingElseIsWrittenAsDecimalOctets() {
    assertEquals("<<0,50>>", format("0032"));
    assertEquals("<<65,10>>", format("'A' 0a"));
    assertEquals("<<>>", format(""));
  }

  @Test
  void longInputIsCut() {
    String text = format("00".repeat(10_000));
    assertTrue(text.length() < 600, text);
    assertTrue(text.endsWith("..."), text);
  }

  private static String format(String spec) {
    ByteBuf buf = Hex.buf(spec);
    try {
      int before = buf.readerIndex();
      String text = Octets.format(buf);
      assertEquals(before, buf.readerIndex(), "indexes untouched");
      return text;
    } finally {
      buf.release();
    }
  }
}
