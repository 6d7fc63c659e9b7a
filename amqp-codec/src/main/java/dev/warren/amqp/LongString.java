package dev.warren.amqp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The bytes of an AMQP {@code longstr} (spec 4.2.5.3): method fields such as {@code
 * connection.start-ok{response}} and field-table values of type {@code S}. Not necessarily UTF-8,
 * so kept as bytes; equality is by content. Immutable (the bytes are copied in and out); usable
 * from any thread.
 */
public final class LongString {
  public static final LongString EMPTY = new LongString(new byte[0]);

  private final byte[] bytes;

  private LongString(byte[] bytes) {
    this.bytes = bytes;
  }

  /** The UTF-8 bytes of {@code text}. */
  public static LongString of(String text) {
    return new LongString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** A long string holding a copy of {@code bytes}. */
  public static LongString of(byte[] bytes) {
    return new LongString(bytes.clone());
  }

  /** Takes {@code bytes} without copying; the caller must not change them afterwards. */
  static LongString wrap(byte[] bytes) {
    return new LongString(bytes);
  }

  /** A copy of the bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The bytes themselves, for writing; never modified by this package. */
  byte[] unsafeBytes() {
    return bytes;
  }

  public int length() {
    return bytes.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LongString other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** The bytes decoded as UTF-8 (malformed sequences become U+FFFD). */
  @Override
  public String toString() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** True if the bytes are the UTF-8 encoding of {@code text}. */
  public boolean contentEquals(String text) {
    return Arrays.equals(bytes, Objects.requireNonNull(text).getBytes(StandardCharsets.UTF_8));
  }
}
