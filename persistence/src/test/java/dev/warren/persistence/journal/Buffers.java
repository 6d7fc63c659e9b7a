package dev.warren.persistence.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Test buffers that are tracked, so that a test can assert that every one was released. */
final class Buffers {

  static final ByteBufAllocator ALLOCATOR = PooledByteBufAllocator.DEFAULT;

  private final Queue<ByteBuf> made = new ConcurrentLinkedQueue<>();

  /** A direct pooled buffer holding {@code text}; the test owns one reference. */
  ByteBuf of(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ByteBuf buf = ALLOCATOR.directBuffer(bytes.length);
    buf.writeBytes(bytes);
    made.add(buf);
    return buf;
  }

  static String text(ByteBuf buf) {
    return buf.toString(StandardCharsets.UTF_8);
  }

  /** Every buffer made here has been released by everyone who held it. */
  void assertAllReleased() {
    for (ByteBuf b : made) {
      assertEquals(0, b.refCnt(), "a buffer was not released");
    }
    made.clear();
  }
}
