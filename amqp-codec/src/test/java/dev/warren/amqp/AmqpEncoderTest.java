package dev.warren.amqp;

import static dev.warren.amqp.Frames.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.amqp.method.AmqpClass;
import dev.warren.amqp.method.BasicDeliver;
import dev.warren.amqp.method.ChannelOpenOk;
import dev.warren.amqp.method.QueueDeclare;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The outbound frame writer (spec 4.2.3, 4.2.6). */
class AmqpEncoderTest {
  private static final BasicDeliver DELIVER = new BasicDeliver("c", 1, false, "", "q");
  private static final String DELIVER_PAYLOAD = "003c 003c 01'c' 0000000000000001 00 00 01'q'";
  private static final int FRAME_MAX = Frame.FRAME_MIN_SIZE;
  private static final int MAX_PAYLOAD = FRAME_MAX - Frame.FRAME_OVERHEAD;

  private final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);
  private final EmbeddedChannel channel = new EmbeddedChannel(new AmqpEncoder(FRAME_MAX));

  AmqpEncoderTest() {
    channel.config().setAllocator(alloc);
  }

  @AfterEach
  void noBufferIsLeft() {
    channel.finishAndReleaseAll();
    Frames.assertNoLeak(alloc);
  }

  /** Everything written so far, as hex; the encoder may emit a command as several buffers. */
  private String written() {
    StringBuilder hex = new StringBuilder();
    for (ByteBuf out; (out = channel.readOutbound()) != null; ) {
      try {
        hex.append(Hex.of(out));
      } finally {
        out.release();
      }
    }
    return hex.toString();
  }

  private Command deliver(byte[] body) {
    ContentHeader header =
        ContentHeader.of(AmqpClass.BASIC, body.length, BasicProperties.EMPTY, alloc);
    return new Command(5, DELIVER, header, alloc.heapBuffer(body.length).writeBytes(body));
  }

  @Test
  void protocolHeaderIsEightBytes() {
    channel.writeOutbound(ProtocolHeader.AMQP_0_9_1);
    assertEquals(Hex.canonical(Frames.PROTOCOL_HEADER), written());
  }

  @Test
  void heartbeatIsAnEmptyFrameOnChannelZero() {
    channel.writeOutbound(HeartbeatFrame.INSTANCE);
    assertEquals(Hex.canonical(frame(8, 0, "")), written());
  }

  @Test
  void methodWithoutContentIsOneFrame() {
    channel.writeOutbound(new Command(7, new ChannelOpenOk(LongString.EMPTY)));
    assertEquals(Hex.canonical(frame(1, 7, "0014 000b 00000000")), written());
  }

  @Test
  void contentIsMethodThenHeaderThenBodyFrames() {
    channel.writeOutbound(deliver(new byte[] {'h', 'i'}));
    assertEquals(
        Hex.canonical(
            frame(1, 5, DELIVER_PAYLOAD)
                + frame(2, 5, "003c 0000 0000000000000002 0000")
                + frame(3, 5, "'hi'")),
        written());
  }

  @Test
  void countsTheOctetsAndFramesItEncodes() {
    AmqpEncoder encoder = channel.pipeline().get(AmqpEncoder.class);
    channel.writeOutbound(ProtocolHeader.AMQP_0_9_1);
    channel.writeOutbound(HeartbeatFrame.INSTANCE);
    channel.writeOutbound(new Command(7, new ChannelOpenOk(LongString.EMPTY)));
    channel.writeOutbound(deliver(new byte[0]));
    channel.writeOutbound(deliver(new byte[2 * MAX_PAYLOAD + 1]));
    String hex = written();
    assertEquals(hex.replace(" ", "").length() / 2, encoder.bytesWritten());
    assertEquals(1 + 1 + 2 + 5, encoder.framesWritten());
  }

  @Test
  void emptyBodyHasNoBodyFrame() {
    channel.writeOutbound(deliver(new byte[0]));
    assertEquals(
        Hex.canonical(
            frame(1, 5, DELIVER_PAYLOAD) + frame(2, 5, "003c 0000 0000000000000000 0000")),
        written());
  }

  @Test
  void bodyOfExactlyOneMaximalFrameIsNotSplit() {
    channel.writeOutbound(deliver(new byte[MAX_PAYLOAD]));
    assertEquals(List.of(MAX_PAYLOAD), bodyFrameSizes(written()));
  }

  @Test
  void bodyLargerThanFrameMaxIsSplitIntoFrames() {
    byte[] body = new byte[2 * MAX_PAYLOAD + 1];
    Arrays.fill(body, (byte) 7);
    channel.writeOutbound(deliver(body));
    assertEquals(List.of(MAX_PAYLOAD, MAX_PAYLOAD, 1), bodyFrameSizes(written()));
  }

  @Test
  void raisedFrameMaxAllowsLargerBodyFrames() {
    channel.pipeline().get(AmqpEncoder.class).frameMax(131072);
    channel.writeOutbound(deliver(new byte[131072]));
    assertEquals(List.of(131064, 8), bodyFrameSizes(written()));
  }

  @Test
  void bodyIsWrittenAsSlicesOfTheOriginalNeverCopied() {
    byte[] bytes = new byte[2 * MAX_PAYLOAD];
    ContentHeader header =
        ContentHeader.of(AmqpClass.BASIC, bytes.length, BasicProperties.EMPTY, alloc);
    ByteBuf body = alloc.heapBuffer(bytes.length).writeBytes(bytes);
    channel.writeOutbound(new Command(5, DELIVER, header, body));

    List<ByteBuf> written = new ArrayList<>();
    for (ByteBuf out; (out = channel.readOutbound()) != null; ) {
      written.add(out);
    }
    List<ByteBuf> bodySlices = new ArrayList<>();
    for (ByteBuf piece : written) {
      if (piece.hasArray() && piece.array() == body.array()) {
        bodySlices.add(piece);
      }
    }
    assertEquals(2, bodySlices.size(), "each body frame payload shares the body's memory");
    assertEquals(2, body.refCnt(), "the command's own reference was released");
    assertEquals(0, header.refCnt());
    written.forEach(ByteBuf::release);
    assertEquals(0, body.refCnt());
  }

  @Test
  void methodFrameLargerThanFrameMaxIsRefused() {
    Map<String, Object> arguments = Map.of("big", LongString.of(new byte[FRAME_MAX]));
    Command huge =
        new Command(1, new QueueDeclare(0, "q", false, false, false, false, false, arguments));
    EncoderException e = assertThrows(EncoderException.class, () -> channel.writeOutbound(huge));
    assertTrue(e.getMessage().contains("frame-max"), e.getMessage());
  }

  @Test
  void commandIsReleasedWhenEncodingFails() {
    ContentHeader header = ContentHeader.of(AmqpClass.BASIC, 1, BasicProperties.EMPTY, alloc);
    ByteBuf body = alloc.heapBuffer().writeByte(1);
    Command command =
        new Command(1, new BasicDeliver("c".repeat(300), 1, false, "", ""), header, body);
    EncoderException e = assertThrows(EncoderException.class, () -> channel.writeOutbound(command));
    assertTrue(e.getCause() instanceof IllegalArgumentException);
    assertEquals(0, header.refCnt());
    assertEquals(0, body.refCnt());
  }

  @Test
  void encodedStreamDecodesBackToTheSameCommands() {
    byte[] body = new byte[3 * MAX_PAYLOAD + 17];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) i;
    }
    channel.writeOutbound(ProtocolHeader.AMQP_0_9_1, deliver(body));
    EmbeddedChannel inbound = new EmbeddedChannel(new AmqpFrameDecoder(FRAME_MAX));
    inbound.config().setAllocator(alloc);
    for (Object out; (out = channel.readOutbound()) != null; ) {
      inbound.writeInbound(out);
    }
    CommandAssembler assembler = new CommandAssembler(alloc);
    Command command = null;
    assertEquals(ProtocolHeader.AMQP_0_9_1, inbound.readInbound());
    for (Object frame; (frame = inbound.readInbound()) != null; ) {
      Command done = assembler.feed((Frame) frame);
      if (done != null) {
        command = done;
      }
    }
    assertEquals(DELIVER, command.method());
    assertEquals(5, command.channel());
    assertEquals(ByteBufUtil.hexDump(body), Hex.of(command.body()));
    command.release();
    inbound.finishAndReleaseAll();
  }

  /** The payload sizes of the body frames in a hex dump of a whole command. */
  private static List<Integer> bodyFrameSizes(String hex) {
    byte[] bytes = ByteBufUtil.decodeHexDump(hex);
    List<Integer> sizes = new ArrayList<>();
    int i = 0;
    while (i < bytes.length) {
      int type = bytes[i];
      int size =
          ((bytes[i + 3] & 0xff) << 24)
              | ((bytes[i + 4] & 0xff) << 16)
              | ((bytes[i + 5] & 0xff) << 8)
              | (bytes[i + 6] & 0xff);
      assertEquals((byte) Frame.FRAME_END, bytes[i + 7 + size]);
      if (type == Frame.FRAME_BODY) {
        sizes.add(size);
      }
      i += 8 + size;
    }
    assertEquals(bytes.length, i);
    return sizes;
  }
}
