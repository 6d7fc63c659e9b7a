package dev.warren.amqp;

import io.netty.buffer.ByteBuf;

/**
 * The protocol header a client sends first (spec 4.2.2), and the server sends back before closing
 * when it does not support the client's. Immutable. Written by {@link AmqpEncoder}.
 *
 * <pre>
 * 0   1   2   3   4    5    6    7
 * +---+---+---+---+----+----+----+----+
 * | A | M | Q | P | 0  | 0  | 9  | 1  |
 * +---+---+---+---+----+----+----+----+
 *   literal "AMQP"  id   major minor revision (octets)
 * </pre>
 */
public enum ProtocolHeader {
  AMQP_0_9_1;

  /** Length of the header in octets. */
  public static final int LENGTH = 8;

  private static final byte[] BYTES = {'A', 'M', 'Q', 'P', 0, 0, 9, 1};

  /** A fresh copy of the 8 bytes. */
  public byte[] bytes() {
    return BYTES.clone();
  }

  /** The byte at {@code index} (0..7). */
  byte byteAt(int index) {
    return BYTES[index];
  }

  /** Writes the 8 bytes to {@code out} (the caller keeps ownership of {@code out}). */
  public void writeTo(ByteBuf out) {
    out.writeBytes(BYTES);
  }
}
