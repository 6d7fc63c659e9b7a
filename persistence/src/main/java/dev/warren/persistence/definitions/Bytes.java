package dev.warren.persistence.definitions;

import java.util.Arrays;
import java.util.Objects;

/**
 * Helpers for the {@code byte[]} components of the command records: records compare arrays by
 * reference, so every record holding opaque bytes copies them in and out and compares their
 * contents.
 */
final class Bytes {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Bytes() {}

  /** A private copy of {@code bytes}; {@code name} is used in the message when it is null. */
  static byte[] copy(byte[] bytes, String name) {
    return Objects.requireNonNull(bytes, name).clone();
  }

  static String hex(byte[] bytes) {
    StringBuilder text = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) {
      text.append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
    }
    return text.toString();
  }

  static boolean equal(byte[] a, byte[] b) {
    return Arrays.equals(a, b);
  }

  static int hash(byte[] bytes) {
    return Arrays.hashCode(bytes);
  }
}
