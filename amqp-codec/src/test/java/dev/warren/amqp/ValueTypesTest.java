package dev.warren.amqp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.amqp.method.AmqpClass;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The small value types: LongString, ReplyCode, the exceptions and ContentHeader. */
class ValueTypesTest {
  private final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);

  @Test
  void longStringsAreEqualByContentAndImmutable() {
    byte[] bytes = {'a', 'b'};
    LongString s = LongString.of(bytes);
    bytes[0] = 'x';
    assertEquals(LongString.of("ab"), s);
    assertEquals(LongString.of("ab").hashCode(), s.hashCode());
    assertNotEquals(LongString.of("abc"), s);
    s.bytes()[1] = 'y';
    assertArrayEquals(new byte[] {'a', 'b'}, s.bytes());
    assertEquals("ab", s.toString());
    assertTrue(s.contentEquals("ab"));
  }

  @Test
  void replyCodesCarrySpecNumbersAndClasses() {
    assertEquals(406, ReplyCode.PRECONDITION_FAILED.code());
    assertFalse(ReplyCode.PRECONDITION_FAILED.isHardError());
    assertTrue(ReplyCode.UNEXPECTED_FRAME.isHardError());
    assertEquals(ReplyCode.NO_ROUTE, ReplyCode.of(312));
    assertEquals(19, ReplyCode.values().length);
    assertThrows(IllegalArgumentException.class, () -> ReplyCode.of(999));
  }

  @Test
  void channelExceptionRefusesAHardReplyCode() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new ChannelException(ReplyCode.FRAME_ERROR, "bad frame"));
    ChannelException e = new ChannelException(ReplyCode.NOT_FOUND, "no queue 'q'", 50, 10);
    assertEquals("NOT_FOUND - no queue 'q'", e.getMessage());
    assertEquals("no queue 'q'", e.text());
    assertEquals(50, e.classId());
  }

  @Test
  void contentHeaderDecodesPropertiesLazilyFromTheRawBytes() {
    BasicProperties props =
        new BasicProperties(
            "t", null, Map.of(), 2, null, null, null, null, null, null, null, null, null, null);
    ContentHeader encoded = ContentHeader.of(AmqpClass.BASIC, 3, props, alloc);
    ContentHeader header =
        new ContentHeader(AmqpClass.BASIC, 3, encoded.rawProperties().retainedDuplicate());
    int readerIndex = header.rawProperties().readerIndex();
    assertEquals(props, header.properties());
    assertSame(header.properties(), header.properties());
    assertEquals(readerIndex, header.rawProperties().readerIndex());
    encoded.release();
    header.release();
    Frames.assertNoLeak(alloc);
  }

  @Test
  void retainedDuplicateIsASecondOwnerOfTheSameBytes() {
    ContentHeader header = ContentHeader.of(AmqpClass.BASIC, 0, BasicProperties.EMPTY, alloc);
    ContentHeader copy = header.retainedDuplicate();
    assertEquals(2, header.refCnt());
    header.release();
    assertEquals(Hex.canonical("0000"), Hex.of(copy.rawProperties()));
    assertEquals(BasicProperties.EMPTY, copy.properties());
    copy.release();
    Frames.assertNoLeak(alloc);
  }

  @Test
  void malformedPropertiesAreASyntaxErrorWhenRead() {
    ByteBuf raw = alloc.heapBuffer().writeShort(0x8000).writeByte(9);
    ContentHeader header = new ContentHeader(AmqpClass.BASIC, 0, raw);
    ConnectionException e = assertThrows(ConnectionException.class, header::properties);
    assertEquals(ReplyCode.SYNTAX_ERROR, e.replyCode());
    header.release();
    Frames.assertNoLeak(alloc);
  }

  @Test
  void protocolHeaderIsAmqp0091() {
    assertArrayEquals(Hex.bytes(Frames.PROTOCOL_HEADER), ProtocolHeader.AMQP_0_9_1.bytes());
  }
}
