package dev.warren.amqp;

import static dev.warren.amqp.Frames.PROTOCOL_HEADER;
import static dev.warren.amqp.Frames.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The frame layer (spec 4.2.2, 4.2.3) fed through an EmbeddedChannel. */
class AmqpFrameDecoderTest {
  private final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);
  private final EmbeddedChannel channel = newChannel();

  private EmbeddedChannel newChannel() {
    EmbeddedChannel ch = new EmbeddedChannel(new AmqpFrameDecoder(Frame.FRAME_MIN_SIZE));
    ch.config().setAllocator(alloc);
    return ch;
  }

  @AfterEach
  void noBufferIsLeft() {
    channel.finishAndReleaseAll();
    Frames.assertNoLeak(alloc);
  }

  /** Protocol header, then a method, a publish with header and two body frames, a heartbeat. */
  private static final byte[] STREAM =
      Hex.bytes(
          PROTOCOL_HEADER
              + frame(1, 1, "0032 000a 0000 01'q' 02 00000000")
              + frame(1, 1, "003c 0028 0000 00 02'rk' 00")
              + frame(2, 1, "003c 0000 0000000000000005 8000 0a'text/plain'")
              + frame(3, 1, "'hel'")
              + frame(3, 1, "'lo'")
              + frame(8, 0, ""));

  private static final List<String> EXPECTED =
      List.of(
          "AMQP_0_9_1",
          "method ch1 QueueDeclare[reserved1=0, queue=q, passive=false, durable=true,"
              + " exclusive=false, autoDelete=false, noWait=false, arguments={}]",
          "method ch1 BasicPublish[reserved1=0, exchange=, routingKey=rk, mandatory=false,"
              + " immediate=false]",
          "header ch1 class 60 size 5 props 80000a746578742f706c61696e",
          "body ch1 68656c",
          "body ch1 6c6f",
          "INSTANCE");

  @Test
  void matchingProtocolHeaderIsPassedOnBeforeAnyFrame() {
    byte[] header = ProtocolHeader.AMQP_0_9_1.bytes();
    Frames.writeRange(channel, alloc, header, 0, 7);
    assertEquals(List.of(), Frames.readAll(channel));
    Frames.writeRange(channel, alloc, header, 7, 8);
    assertEquals(List.of("AMQP_0_9_1"), Frames.readAll(channel));
  }

  @Test
  void streamWrittenWholeDecodesIntoFrames() {
    Frames.writeRange(channel, alloc, STREAM, 0, STREAM.length);
    assertEquals(EXPECTED, Frames.readAll(channel));
  }

  @Test
  void streamWrittenByteByByteDecodesIntoTheSameFrames() {
    List<String> frames = new ArrayList<>();
    for (int i = 0; i < STREAM.length; i++) {
      Frames.writeRange(channel, alloc, STREAM, i, i + 1);
      frames.addAll(Frames.readAll(channel));
    }
    assertEquals(EXPECTED, frames);
  }

  @Test
  void streamSplitAtEveryOffsetDecodesIntoTheSameFrames() {
    for (int split = 0; split <= STREAM.length; split++) {
      EmbeddedChannel ch = newChannel();
      Frames.writeRange(ch, alloc, STREAM, 0, split);
      List<String> frames = new ArrayList<>(Frames.readAll(ch));
      Frames.writeRange(ch, alloc, STREAM, split, STREAM.length);
      frames.addAll(Frames.readAll(ch));
      assertEquals(EXPECTED, frames, "split at " + split);
      assertFalse(ch.finishAndReleaseAll());
      Frames.assertNoLeak(alloc);
    }
  }

  @Test
  void countsEveryOctetReceivedAndEveryFrameCutWhereverTheStreamIsSplit() {
    for (int split = 0; split <= STREAM.length; split++) {
      EmbeddedChannel ch = newChannel();
      AmqpFrameDecoder decoder = ch.pipeline().get(AmqpFrameDecoder.class);
      Frames.writeRange(ch, alloc, STREAM, 0, split);
      Frames.readAll(ch);
      assertEquals(split, decoder.bytesRead(), "octets before the split at " + split);
      Frames.writeRange(ch, alloc, STREAM, split, STREAM.length);
      Frames.readAll(ch);
      assertEquals(STREAM.length, decoder.bytesRead(), "octets after the split at " + split);
      assertEquals(6, decoder.framesRead(), "frames, split at " + split);
      assertFalse(ch.finishAndReleaseAll());
      Frames.assertNoLeak(alloc);
    }
  }

  @Test
  void bodyFrameIsASliceOfTheInputNotACopy() {
    Frames.writeRange(channel, alloc, STREAM, 0, STREAM.length);
    for (int i = 0; i < 4; i++) {
      Frames.describe(channel.readInbound());
    }
    ContentBodyFrame body = channel.readInbound();
    try {
      assertTrue(body.payload().unwrap() != null, "a derived buffer of the input");
    } finally {
      body.release();
    }
    Frames.readAll(channel);
  }

  @Test
  void otherProtocolHeaderIsRejectedWithTheBytesReceived() {
    byte[] amqp10 = Hex.bytes("'AMQP' 00 01 00 00");
    ProtocolHeaderMismatchException e =
        assertThrows(
            ProtocolHeaderMismatchException.class,
            () -> Frames.writeRange(channel, alloc, amqp10, 0, amqp10.length));
    assertArrayEquals(amqp10, e.received());
  }

  @Test
  void httpRequestIsRejectedAtTheFirstByte() {
    byte[] http = Hex.bytes("'G'");
    assertThrows(
        ProtocolHeaderMismatchException.class, () -> Frames.writeRange(channel, alloc, http, 0, 1));
  }

  @Test
  void badFrameEndIsAFrameError() {
    assertFrameError(PROTOCOL_HEADER + "08 0000 00000000 cd");
  }

  @Test
  void unknownFrameTypeIsAFrameError() {
    assertFrameError(PROTOCOL_HEADER + "04 0001 00000000 ce");
  }

  @Test
  void payloadLargerThanFrameMaxIsAFrameErrorBeforeItArrives() {
    ConnectionException e = assertConnectionError(PROTOCOL_HEADER + "03 0001 00001001");
    assertEquals(ReplyCode.FRAME_ERROR, e.replyCode());
    assertEquals("type 3, all octets = <<>>: {frame_too_large,4097,4088}", e.text());
  }

  /** RabbitMQ tolerates a frame of frame-max + 8 octets: a payload of frame-max. */
  @Test
  void payloadOfExactlyFrameMaxIsAccepted() {
    byte[] frame = Hex.bytes(PROTOCOL_HEADER + "03 0001 00001000");
    Frames.writeRange(channel, alloc, frame, 0, frame.length);
    byte[] rest = new byte[0x1000 + 1];
    rest[rest.length - 1] = (byte) Frame.FRAME_END;
    Frames.writeRange(channel, alloc, rest, 0, rest.length);
    assertEquals(ProtocolHeader.AMQP_0_9_1, channel.readInbound());
    ContentBodyFrame body = channel.readInbound();
    assertEquals(Frame.FRAME_MIN_SIZE, body.payload().readableBytes());
    body.release();
  }

  @Test
  void raisedFrameMaxAcceptsLargerFrames() {
    AmqpFrameDecoder decoder = channel.pipeline().get(AmqpFrameDecoder.class);
    decoder.frameMax(131072);
    byte[] frame = Hex.bytes(PROTOCOL_HEADER + "03 0001 00001001");
    Frames.writeRange(channel, alloc, frame, 0, frame.length);
    byte[] rest = new byte[0x1001 + 1];
    rest[rest.length - 1] = (byte) Frame.FRAME_END;
    Frames.writeRange(channel, alloc, rest, 0, rest.length);
    assertEquals(List.of("AMQP_0_9_1", "body ch1 " + "00".repeat(0x1001)), Frames.readAll(channel));
  }

  @Test
  void heartbeatOnAnotherChannelIsAnUnexpectedFrame() {
    ConnectionException e = assertConnectionError(PROTOCOL_HEADER + frame(8, 3, ""));
    assertEquals(ReplyCode.UNEXPECTED_FRAME, e.replyCode());
    assertEquals("type 8, all octets = <<>>", e.text());
  }

  @Test
  void heartbeatWithAPayloadIsAFrameError() {
    ConnectionException e = assertConnectionError(PROTOCOL_HEADER + frame(8, 0, "'abc'"));
    assertEquals(ReplyCode.FRAME_ERROR, e.replyCode());
    assertEquals("type 8, all octets = <<\"abc\">>: unknown_frame", e.text());
  }

  /** spec 4.2.6.1: the weight field is unused and must be zero. */
  @Test
  void contentHeaderWithANonZeroWeightIsAnUnexpectedFrame() {
    ConnectionException e =
        assertConnectionError(PROTOCOL_HEADER + frame(2, 1, "003c 0001 0000000000000003 0000"));
    assertEquals(ReplyCode.UNEXPECTED_FRAME, e.replyCode());
  }

  @Test
  void contentHeaderShorterThanFourteenBytesIsAFrameError() {
    assertFrameError(PROTOCOL_HEADER + frame(2, 1, "003c 0000 00000000"));
  }

  @Test
  void unknownMethodIsNotImplemented() {
    ConnectionException e = assertConnectionError(PROTOCOL_HEADER + frame(1, 1, "003c 00ff"));
    assertEquals(ReplyCode.NOT_IMPLEMENTED, e.replyCode());
  }

  @Test
  void truncatedMethodArgumentsAreAFrameError() {
    ConnectionException e =
        assertConnectionError(PROTOCOL_HEADER + frame(1, 1, "0032 000a 0000 05'q'"));
    assertEquals(ReplyCode.FRAME_ERROR, e.replyCode());
    assertEquals(50, e.classId());
  }

  /** As RabbitMQ: a malformed shortstr names no method, except in a method on channel 0. */
  @Test
  void malformedUtf8NamesTheMethodOnlyOnChannelZero() {
    ConnectionException e = assertConnectionError(PROTOCOL_HEADER + frame(1, 1, "0014 000a 01ff"));
    assertEquals(ReplyCode.FRAME_ERROR, e.replyCode());
    assertEquals(Wire.MALFORMED_UTF8, e.text());
    assertEquals(0, e.classId());
    EmbeddedChannel connection = newChannel();
    byte[] open = Hex.bytes(PROTOCOL_HEADER + frame(1, 0, "000a 0028 01ff 00 00"));
    try {
      e =
          assertThrows(
              ConnectionException.class,
              () -> Frames.writeRange(connection, alloc, open, 0, open.length));
    } finally {
      connection.finishAndReleaseAll();
    }
    assertEquals(Wire.MALFORMED_UTF8, e.text());
    assertEquals(10, e.classId());
    assertEquals(40, e.methodId());
  }

  @Test
  void argumentTableLongerThanItsFrameIsAFrameError() {
    ConnectionException e =
        assertConnectionError(
            PROTOCOL_HEADER + frame(1, 1, "0032 000a 0000 01'q' 00 000000ff 01'a' 't' 01"));
    assertEquals(ReplyCode.FRAME_ERROR, e.replyCode());
  }

  @Test
  void framesBeforeAnErrorAreDeliveredAndInputAfterItIsDiscarded() {
    byte[] bytes =
        Hex.bytes(PROTOCOL_HEADER + frame(8, 0, "") + "08 0000 00000000 00" + frame(8, 0, ""));
    assertThrows(
        ConnectionException.class, () -> Frames.writeRange(channel, alloc, bytes, 0, bytes.length));
    assertEquals(List.of("AMQP_0_9_1", "INSTANCE"), Frames.readAll(channel));
    byte[] more = Hex.bytes(frame(8, 0, ""));
    Frames.writeRange(channel, alloc, more, 0, more.length);
    assertEquals(List.of(), Frames.readAll(channel));
  }

  /** The stream is still in step after an error inside a whole frame: the peer's close is read. */
  @Test
  void framesAfterAnErrorInsideAWholeFrameAreStillDecoded() {
    byte[] bytes =
        Hex.bytes(
            PROTOCOL_HEADER
                + frame(8, 1, "")
                + frame(1, 1, "0032 000a 0000 01ff 00 00000000")
                + frame(1, 0, "000a 0033"));
    List<Throwable> errors = new ArrayList<>();
    EmbeddedChannel ch =
        new EmbeddedChannel(
            new AmqpFrameDecoder(Frame.FRAME_MIN_SIZE),
            new ChannelInboundHandlerAdapter() {
              @Override
              public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                errors.add(cause);
              }
            });
    try {
      Frames.writeRange(ch, alloc, bytes, 0, bytes.length);
      assertEquals(List.of("AMQP_0_9_1", "method ch0 ConnectionCloseOk[]"), Frames.readAll(ch));
      assertEquals(2, errors.size(), errors.toString());
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  private void assertFrameError(String spec) {
    assertEquals(ReplyCode.FRAME_ERROR, assertConnectionError(spec).replyCode());
  }

  private ConnectionException assertConnectionError(String spec) {
    byte[] bytes = Hex.bytes(spec);
    ConnectionException e =
        assertThrows(
            ConnectionException.class,
            () -> Frames.writeRange(channel, alloc, bytes, 0, bytes.length));
    assertEquals(List.of("AMQP_0_9_1"), Frames.readAll(channel), "no frame before the error");
    return e;
  }
}
