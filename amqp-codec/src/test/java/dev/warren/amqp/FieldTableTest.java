package dev.warren.amqp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Field tables (spec 4.2.5.5, RabbitMQ's type letters) against hand-written bytes. */
class FieldTableTest {

  /** Wraps one entry named "v" around a value's bytes. */
  private static String table(String valueSpec) {
    int size = 2 + Hex.bytes(valueSpec).length;
    return String.format("%08x 01'v' %s", size, valueSpec);
  }

  private static Object decodeValue(String valueSpec) {
    ByteBuf in = Hex.buf(table(valueSpec));
    try {
      Map<String, Object> decoded = FieldTable.decode(in);
      assertEquals(0, in.readableBytes());
      return decoded.get("v");
    } finally {
      in.release();
    }
  }

  private static String encodeValue(Object value) {
    Map<String, Object> table = new LinkedHashMap<>();
    table.put("v", value);
    ByteBuf out = Unpooled.buffer();
    try {
      FieldTable.encode(table, out);
      return Hex.of(out);
    } finally {
      out.release();
    }
  }

  @Test
  void everyTypeLetterDecodesToItsJavaType() {
    assertEquals(true, decodeValue("'t' 01"));
    assertEquals((byte) -2, decodeValue("'b' fe"));
    assertEquals((short) 254, decodeValue("'B' fe"));
    assertEquals((short) -2, decodeValue("'s' fffe"));
    assertEquals(65534, decodeValue("'u' fffe"));
    assertEquals(-2, decodeValue("'I' fffffffe"));
    assertEquals(4294967294L, decodeValue("'i' fffffffe"));
    assertEquals(-2L, decodeValue("'l' fffffffffffffffe"));
    assertEquals(1L << 40, decodeValue("'L' 0000010000000000"), "py-amqp's unsigned 64-bit");
    assertEquals(1.5f, decodeValue("'f' 3fc00000"));
    assertEquals(-2.5d, decodeValue("'d' c004000000000000"));
    assertEquals(new BigDecimal("-1.23"), decodeValue("'D' 02 ffffff85"));
    assertEquals(LongString.of("hi"), decodeValue("'S' 00000002 'hi'"));
    assertArrayEquals(new byte[] {1, 2}, (byte[]) decodeValue("'x' 00000002 0102"));
    assertEquals(
        List.of(1, LongString.of("a")), decodeValue("'A' 0000000b 'I' 00000001 'S' 00000001 'a'"));
    assertEquals(new Date(1_700_000_000_000L), decodeValue("'T' 000000006553f100"));
    assertEquals(Map.of("n", true), decodeValue("'F' 00000004 01'n' 't' 01"));
    assertNull(decodeValue("'V'"));
  }

  @Test
  void decodedTablesKeepWireOrder() {
    ByteBuf in = Hex.buf("0000000b 01'z' 't' 01 01'a' 't' 00 01'm' 'V'");
    try {
      assertEquals(List.of("z", "a", "m"), new ArrayList<>(FieldTable.decode(in).keySet()));
    } finally {
      in.release();
    }
  }

  @Test
  void javaTypesAreWrittenWithTheJavaClientsLetters() {
    assertEquals(Hex.canonical(table("'t' 01")), encodeValue(true));
    assertEquals(Hex.canonical(table("'b' fe")), encodeValue((byte) -2));
    assertEquals(Hex.canonical(table("'s' fffe")), encodeValue((short) -2));
    assertEquals(Hex.canonical(table("'I' fffffffe")), encodeValue(-2));
    assertEquals(Hex.canonical(table("'l' fffffffffffffffe")), encodeValue(-2L));
    assertEquals(Hex.canonical(table("'f' 3fc00000")), encodeValue(1.5f));
    assertEquals(Hex.canonical(table("'d' c004000000000000")), encodeValue(-2.5d));
    assertEquals(Hex.canonical(table("'D' 02 ffffff85")), encodeValue(new BigDecimal("-1.23")));
    assertEquals(Hex.canonical(table("'S' 00000002 'hi'")), encodeValue(LongString.of("hi")));
    assertEquals(Hex.canonical(table("'S' 00000002 c3a9")), encodeValue("\u00e9"));
    assertEquals(Hex.canonical(table("'x' 00000002 0102")), encodeValue(new byte[] {1, 2}));
    assertEquals(
        Hex.canonical(table("'A' 0000000b 'I' 00000001 'S' 00000001 'a'")),
        encodeValue(List.of(1, "a")));
    assertEquals(
        Hex.canonical(table("'T' 000000006553f100")), encodeValue(new Date(1_700_000_000_999L)));
    assertEquals(Hex.canonical(table("'F' 00000004 01'n' 't' 01")), encodeValue(Map.of("n", true)));
    assertEquals(Hex.canonical(table("'V'")), encodeValue(null));
  }

  @Test
  void nullTableIsWrittenEmpty() {
    ByteBuf out = Unpooled.buffer();
    try {
      FieldTable.encode(null, out);
      assertEquals("00000000", Hex.of(out));
    } finally {
      out.release();
    }
  }

  @Test
  void unknownTypeLetterIsASyntaxError() {
    assertMalformed(table("'Z' 00"), "0x5a");
  }

  @Test
  void tableSizePastTheEndIsAFrameError() {
    assertMalformed("00000010 01'v' 't' 01", "exceeds", ReplyCode.FRAME_ERROR);
  }

  @Test
  void valueLengthPastTheTableIsASyntaxError() {
    assertMalformed("00000008 01'v' 'S' 00000009 'abcdefghi'", "");
  }

  @Test
  void arrayLengthPastTheEndIsAFrameError() {
    assertMalformed(table("'A' 00000100 'V'"), "field array", ReplyCode.FRAME_ERROR);
  }

  @Test
  void tablesNestedTooDeeplyAreASyntaxError() {
    ByteBuf nested = Unpooled.buffer();
    try {
      Map<String, Object> table = Map.of();
      for (int i = 0; i <= FieldTable.MAX_DEPTH + 1; i++) {
        table = Map.of("t", table);
      }
      FieldTable.encode(table, nested);
      ConnectionException e =
          assertThrows(ConnectionException.class, () -> FieldTable.decode(nested));
      assertEquals(ReplyCode.SYNTAX_ERROR, e.replyCode());
    } finally {
      nested.release();
    }
  }

  @Test
  void valueWithoutFieldTypeCannotBeEncoded() {
    ByteBuf out = Unpooled.buffer();
    try {
      assertThrows(IllegalArgumentException.class, () -> FieldTable.encode(Map.of("c", 'c'), out));
      assertThrows(
          IllegalArgumentException.class,
          () -> FieldTable.encode(Map.of("d", new BigDecimal("1e40")), out));
    } finally {
      out.release();
    }
  }

  @Test
  void everyJavaTypeSurvivesEncodeThenDecode() {
    Map<String, Object> table = new LinkedHashMap<>();
    table.put("t", false);
    table.put("b", (byte) 7);
    table.put("s", (short) -300);
    table.put("I", Integer.MIN_VALUE);
    table.put("l", Long.MAX_VALUE);
    table.put("f", Float.MIN_VALUE);
    table.put("d", Double.MAX_VALUE);
    table.put("D", new BigDecimal("12345.6789"));
    table.put("S", LongString.of("x"));
    table.put("T", new Date(1_000L));
    table.put("A", Arrays.asList(null, List.of(), Map.of()));
    table.put("F", Map.of("inner", LongString.of("y")));
    table.put("V", null);
    ByteBuf out = Unpooled.buffer();
    try {
      FieldTable.encode(table, out);
      Map<String, Object> decoded = FieldTable.decode(out);
      assertEquals(table, decoded);
      assertTrue(decoded.containsKey("V"));
    } finally {
      out.release();
    }
  }

  private static void assertMalformed(String spec, String textPart) {
    assertMalformed(spec, textPart, ReplyCode.SYNTAX_ERROR);
  }

  /** RabbitMQ answers a length running past the end of its frame with FRAME_ERROR. */
  private static void assertMalformed(String spec, String textPart, ReplyCode expected) {
    ByteBuf in = Hex.buf(spec);
    try {
      ConnectionException e = assertThrows(ConnectionException.class, () -> FieldTable.decode(in));
      assertEquals(expected, e.replyCode());
      assertTrue(e.text().contains(textPart), e.text());
    } finally {
      in.release();
    }
  }
}
