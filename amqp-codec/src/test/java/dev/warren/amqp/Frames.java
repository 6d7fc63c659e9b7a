package dev.warren.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/** Test helper: frames written as hex specs, and readable descriptions of decoded frames. */
final class Frames {
  static final String PROTOCOL_HEADER = "'AMQP' 00 00 09 01";

  private Frames() {}

  /** A frame in {@link Hex} notation: type, channel, size, payload, frame-end. */
  static String frame(int type, int channel, String payloadSpec) {
    int size = Hex.bytes(payloadSpec).length;
    return String.format("%02x %04x %08x %s ce", type, channel, size, payloadSpec);
  }

  /** A description of a frame or command that compares by content; releases it. */
  static String describe(Object msg) {
    try {
      if (msg instanceof MethodFrame m) {
        return "method ch" + m.channel() + " " + m.method();
      } else if (msg instanceof ContentHeaderFrame h) {
        return "header ch"
            + h.channel()
            + " class "
            + h.header().classId()
            + " size "
            + h.header().bodySize()
            + " props "
            + Hex.of(h.header().rawProperties());
      } else if (msg instanceof ContentBodyFrame b) {
        return "body ch" + b.channel() + " " + Hex.of(b.payload());
      } else if (msg instanceof Command c) {
        try {
          return "command ch"
              + c.channel()
              + " "
              + c.method()
              + (c.header() == null
                  ? ""
                  : " " + c.header().properties() + " body " + Hex.of(c.body()));
        } finally {
          c.release();
        }
      }
      return String.valueOf(msg);
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  /** Reads and describes every inbound message waiting in {@code channel}. */
  static List<String> readAll(EmbeddedChannel channel) {
    List<String> out = new ArrayList<>();
    for (Object msg; (msg = channel.readInbound()) != null; ) {
      out.add(describe(msg));
    }
    return out;
  }

  /** Writes {@code bytes[from, to)} to the channel in a buffer from {@code alloc}. */
  static void writeRange(
      EmbeddedChannel channel, UnpooledByteBufAllocator alloc, byte[] bytes, int from, int to) {
    ByteBuf piece = alloc.heapBuffer(to - from).writeBytes(bytes, from, to - from);
    channel.writeInbound(piece);
  }

  /** Fails if any buffer from {@code alloc} is still allocated. */
  static void assertNoLeak(UnpooledByteBufAllocator alloc) {
    assertEquals(0, alloc.metric().usedHeapMemory(), "heap bytes still allocated");
    assertEquals(0, alloc.metric().usedDirectMemory(), "direct bytes still allocated");
  }
}
