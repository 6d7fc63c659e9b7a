package dev.warren.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
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
 * face the network turn that into a {@link ConnectionException}: {@link FieldTable#decode} with
 * {@link ReplyCode#SYNTAX_ERROR}, the generated {@code MethodDecoder} with {@link
 * ReplyCode#FRAME_ERROR} (as RabbitMQ).
 */
public final class Wire {
  /** The largest {@code shortstr} in bytes. */
  public static final int SHORTSTR_MAX = 255;

  private Wire() {}

  /**
   * The reply text of the connection error for a {@code shortstr} that is not UTF-8: RabbitMQ's,
   * with {@link ReplyCode#FRAME_ERROR}.
   */
  public static final String MALFORMED_UTF8 = "Malformed UTF-8 in shortstr";

  /**
   * Reads a {@code shortstr} that must be well-formed UTF-8 (RFC 3629), as RabbitMQ checks the
   * strings of method arguments. The valid path costs what a plain decode costs: the JDK decoder
   * replaces a malformed sequence with U+FFFD, so only a string holding U+FFFD (never an ASCII or
   * Latin-1 one) has its bytes checked again.
   *
   * @throws ConnectionException {@link ReplyCode#FRAME_ERROR} with {@link #MALFORMED_UTF8} (and no
   *     class or method id) if the bytes are not well-formed UTF-8; encoded surrogates and code
   *     points above U+10FFFF are malformed here, although RabbitMQ 3.10 lets them pass
   */
  public static String readShortstr(ByteBuf in) {
    int start = in.readerIndex() + 1;
    String text = readShortstrLenient(in);
    if (text.indexOf('\uFFFD') >= 0 && !isWellFormedUtf8(in, start, in.readerIndex() - start)) {
      throw new ConnectionException(ReplyCode.FRAME_ERROR, MALFORMED_UTF8);
    }
    return text;
  }

  /**
   * Reads a {@code shortstr}, decoding it as UTF-8 with each malformed sequence replaced by U+FFFD.
   * For the strings RabbitMQ does not check: field table names, content properties and the
   * arguments of basic.publish.
   */
  public static String readShortstrLenient(ByteBuf in) {
    int length = in.readUnsignedByte();
    // readCharSequence checks only the capacity, not the readable bytes.
    if (length > in.readableBytes()) {
      throw new IndexOutOfBoundsException(
          "shortstr of " + length + " bytes exceeds the " + in.readableBytes() + " bytes left");
    }
    return in.readCharSequence(length, StandardCharsets.UTF_8).toString();
  }

  private static boolean isWellFormedUtf8(ByteBuf in, int index, int length) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(in.nioBuffer(index, length));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
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
