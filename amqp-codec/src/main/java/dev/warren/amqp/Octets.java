package dev.warren.amqp;

import io.netty.buffer.ByteBuf;

/**
 * Octets written as RabbitMQ writes them into the reply text of a frame error (an Erlang binary):
 * {@code <<"AB">>} when every octet is printable ASCII, {@code <<0,50>>} otherwise. Stateless; any
 * thread; never takes ownership of the buffer and does not move its indexes.
 */
public final class Octets {
  /** Enough for any reply text: a shortstr holds 255 octets, and longer texts are cut. */
  private static final int MAX_CHARS = 256;

  private Octets() {}

  /** The readable octets of {@code buf}; the text stops (with "...") past 256 characters. */
  public static String format(ByteBuf buf) {
    int start = buf.readerIndex();
    int end = buf.writerIndex();
    boolean printable = start < end;
    for (int i = start; i < end && printable; i++) {
      byte b = buf.getByte(i);
      printable = b >= 0x20 && b < 0x7f;
    }
    StringBuilder text = new StringBuilder("<<");
    if (printable) {
      text.append('"');
    }
    for (int i = start; i < end; i++) {
      if (text.length() > MAX_CHARS) {
        return text.append("...").toString();
      }
      byte b = buf.getByte(i);
      if (printable) {
        if (b == '"' || b == '\\') {
          text.append('\\');
        }
        text.append((char) b);
      } else {
        if (i > start) {
          text.append(',');
        }
        text.append(b & 0xff);
      }
    }
    return text.append(printable ? "\">>" : ">>").toString();
  }
}
