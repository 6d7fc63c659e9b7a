package dev.warren.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/** Test helper: bytes written as hex with spaces, and "quoted" ASCII runs. */
final class Hex {
  private Hex() {}

  /**
   * Parses {@code "00 32 'queue' ce"}: hex octets, with text in single quotes taken as ASCII.
   * Returns an unpooled buffer the caller owns.
   */
  static ByteBuf buf(String spec) {
    return Unpooled.wrappedBuffer(bytes(spec));
  }

  static byte[] bytes(String spec) {
    ByteBuf out = Unpooled.buffer();
    int i = 0;
    while (i < spec.length()) {
      char c = spec.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '\'') {
        int end = spec.indexOf('\'', i + 1);
        out.writeBytes(spec.substring(i + 1, end).getBytes(StandardCharsets.US_ASCII));
        i = end + 1;
      } else {
        out.writeByte(Integer.parseInt(spec.substring(i, i + 2), 16));
        i += 2;
      }
    }
    return ByteBufUtil.getBytes(out);
  }

  /** The readable bytes of {@code buf} as lower-case hex, without moving its reader index. */
  static String of(ByteBuf buf) {
    return ByteBufUtil.hexDump(buf);
  }

  static String of(byte[] bytes) {
    return ByteBufUtil.hexDump(bytes);
  }

  /** Canonical hex of a spec string, for comparisons. */
  static String canonical(String spec) {
    return of(bytes(spec));
  }
}
