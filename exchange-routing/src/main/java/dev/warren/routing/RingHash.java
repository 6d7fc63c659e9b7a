package dev.warren.routing;

/**
 * The 64-bit hash of the consistent-hash ring: a Murmur3-style mix of 16-bit chars four at a time
 * and Murmur3's 64-bit finaliser, written for this module. Depends only on the characters, so it is
 * the same on every run and every JVM (unlike {@link String#hashCode}, it has no weak low bits).
 * RabbitMQ hashes with Erlang's {@code phash2}, which this does not reproduce.
 */
final class RingHash {

  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;
  private static final long GOLDEN = 0x9e3779b97f4a7c15L;

  private RingHash() {}

  /** The hash of {@code s} under {@code seed}. Allocates nothing. */
  static long of(CharSequence s, long seed) {
    int n = s.length();
    long h = seed ^ (n * GOLDEN);
    int i = 0;
    for (; i + 4 <= n; i += 4) {
      long k =
          s.charAt(i)
              | (long) s.charAt(i + 1) << 16
              | (long) s.charAt(i + 2) << 32
              | (long) s.charAt(i + 3) << 48;
      h = Long.rotateLeft(h ^ scramble(k), 27) * 5 + 0x52dce729;
    }
    long k = 0;
    for (int shift = 0; i < n; i++, shift += 16) {
      k |= (long) s.charAt(i) << shift;
    }
    return finish(h ^ scramble(k));
  }

  /** The hash of a byte array's content under {@code seed}. */
  static long of(byte[] bytes, long seed) {
    long h = seed ^ (bytes.length * GOLDEN);
    int i = 0;
    for (; i + 8 <= bytes.length; i += 8) {
      long k = 0;
      for (int j = 7; j >= 0; j--) {
        k = k << 8 | (bytes[i + j] & 0xff);
      }
      h = Long.rotateLeft(h ^ scramble(k), 27) * 5 + 0x52dce729;
    }
    long k = 0;
    for (int shift = 0; i < bytes.length; i++, shift += 8) {
      k |= (long) (bytes[i] & 0xff) << shift;
    }
    return finish(h ^ scramble(k));
  }

  /**
   * The {@code index}-th point of a ring member whose name hashes to {@code memberHash}: a
   * SplitMix64-style stream, so every index gives an independent, well-spread point.
   */
  static long point(long memberHash, int index) {
    return finish(memberHash + (index + 1L) * GOLDEN);
  }

  private static long scramble(long k) {
    return Long.rotateLeft(k * C1, 31) * C2;
  }

  /** Murmur3's fmix64: every input bit affects every output bit. */
  private static long finish(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
