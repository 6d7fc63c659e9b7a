package dev.warren.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;

/**
 * Reads and writes the AMQP string types (spec 4.2.5.3). Used by the generated method records,
 * {@link FieldTable} and {@link BasicProperties}. Stateless; any thread. Never takes ownership of
 * the buffers it is given.
 *
 * <pre>
 * shortstr: +--------+------------------+    longstr: +-------------+-------------+
 *           | length | length octets    |             |   length    | length      |
 *           +--------+------------------+             +-------------+ octets      |
 *             octet     UTF-8                            long (uint32)  any bytes
 * </pre>
 *
 * <p>Readers throw {@link IndexOutOfBoundsException} when the input is truncated; the callers that
 * face the network ({@link FieldTable#decode}, the generated {@code MethodDecoder}) turn that into
 * a {@link ConnectionException} with {@link ReplyCode#SYNTAX_ERROR}.
 */
public final class Wire {
  /** The largest {@code shortstr} in bytes. */
  public static final int SHORTSTR_MAX = 255;

  private Wire() {}

  /** Reads a {@code shortstr}, decoding it as UTF-8. */
  public static String readShortstr(ByteBuf in) {
    int length = in.readUnsignedByte();
    // readCharSequence checks only the capacity, not the readable bytes.
    if (length > in.readableBytes()) {
      throw new IndexOutOfBoundsException(
          "shortstr of " + length + " bytes exceeds the " + in.readableBytes() + " bytes left");
    }
    return in.readCharSequence(length, StandardCharsets.UTF_8).toString();
  }

  /**
   * Writes {@code text} as a UTF-8 {@code shortstr}; {@code null} is written as the empty string.
   *
   * @throws IllegalArgumentException if the UTF-8 form is longer than 255 bytes
   */
  public static void writeShortstr(ByteBuf out, String text) {
    if (text == null) {
      out.writeByte(0);
      return;
    }
    int length = ByteBufUtil.utf8Bytes(text);
    if (length > SHORTSTR_MAX) {
      throw new IllegalArgumentException(
          "shortstr of " + length + " bytes exceeds " + SHORTSTR_MAX + ": " + abbreviate(text));
    }
    out.writeByte(length);
    ByteBufUtil.writeUtf8(out, text);
  }

  /** Reads a {@code longstr} into a new {@link LongString}. */
  public static LongString readLongstr(ByteBuf in) {
    return LongString.wrap(readLongBytes(in));
  }

  /** Writes a {@code longstr}; {@code null} is written as the empty string. */
  public static void writeLongstr(ByteBuf out, LongString value) {
    if (value == null) {
      out.writeInt(0);
      return;
    }
    out.writeInt(value.length());
    out.writeBytes(value.unsafeBytes());
  }

  /** Writes {@code text} as a UTF-8 {@code longstr}. */
  static void writeLongstr(ByteBuf out, String text) {
    out.writeInt(ByteBufUtil.utf8Bytes(text));
    ByteBufUtil.writeUtf8(out, text);
  }

  /** Reads a 32-bit unsigned length and that many bytes. */
  static byte[] readLongBytes(ByteBuf in) {
    long length = in.readUnsignedInt();
    if (length > in.readableBytes()) {
      throw new IndexOutOfBoundsException(
          "length " + length + " exceeds the " + in.readableBytes() + " bytes left");
    }
    byte[] bytes = new byte[(int) length];
    in.readBytes(bytes);
    return bytes;
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}
