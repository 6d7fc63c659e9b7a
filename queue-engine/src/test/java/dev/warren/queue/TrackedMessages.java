package dev.warren.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes messages whose body is their name, and remembers every buffer it made so that a test can
 * check at its end that each one was released: the leak detector only logs, this fails the test.
 */
final class TrackedMessages {
  private final List<ByteBuf> buffers = new ArrayList<>();
  private final List<String> names = new ArrayList<>();

  /** A new message owning one reference; its body is {@code name}. */
  Message message(String name) {
    return message(name, 0, -1);
  }

  /** A new message with a priority property and an expiration in milliseconds (-1 for none). */
  Message message(String name, int priority, long expirationMillis) {
    ByteBuf properties = track(name + " properties", Unpooled.buffer(1).writeByte(0));
    ByteBuf body = track(name + " body", Unpooled.copiedBuffer(name, StandardCharsets.US_ASCII));
    return new Message("ex", "rk", properties, body, false, priority, expirationMillis);
  }

  /** Messages {@code m<from>} to {@code m<to>}, both included. */
  List<Message> messages(int from, int to) {
    List<Message> messages = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      messages.add(message("m" + i));
    }
    return messages;
  }

  static String name(Message message) {
    return message.body().toString(StandardCharsets.US_ASCII);
  }

  void assertAllReleased() {
    for (int i = 0; i < buffers.size(); i++) {
      assertEquals(0, buffers.get(i).refCnt(), "not released: " + names.get(i));
    }
  }

  private ByteBuf track(String name, ByteBuf buffer) {
    buffers.add(buffer);
    names.add(name);
    return buffer;
  }
}
