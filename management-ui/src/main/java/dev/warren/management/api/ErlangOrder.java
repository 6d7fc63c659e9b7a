package dev.warren.management.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;

/**
 * The order RabbitMQ sorts list values in (Erlang's term order): numbers (by value), then atoms
 * ({@code false}, {@code null}, {@code true} alphabetically), then strings (by their UTF-8 bytes),
 * then anything else. A missing field sorts as the number 0, as in RabbitMQ.
 *
 * <p>Sort values are plain Java: Number, Boolean, String, null (JSON null), or a JsonNode.
 */
final class ErlangOrder implements Comparator<Object> {
  static final ErlangOrder INSTANCE = new ErlangOrder();

  private ErlangOrder() {}

  /** The sort value of a JSON field: missing is 0, as RabbitMQ's default. */
  static Object of(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return 0L;
    }
    if (n.isNull()) {
      return null;
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    if (n.isIntegralNumber()) {
      return n.longValue();
    }
    if (n.isNumber()) {
      return n.doubleValue();
    }
    if (n.isTextual()) {
      return n.textValue();
    }
    return n;
  }

  @Override
  public int compare(Object a, Object b) {
    int ra = rank(a);
    int rb = rank(b);
    if (ra != rb) {
      return Integer.compare(ra, rb);
    }
    return switch (ra) {
      case 0 -> compareNumbers((Number) a, (Number) b);
      case 1 -> atom(a).compareTo(atom(b));
      case 2 -> compareUtf8((String) a, (String) b);
      default -> 0;
    };
  }

  private static int rank(Object o) {
    if (o instanceof Number) {
      return 0;
    }
    if (o == null || o instanceof Boolean) {
      return 1;
    }
    if (o instanceof String) {
      return 2;
    }
    return 3;
  }

  private static String atom(Object o) {
    return o == null ? "null" : o.toString();
  }

  private static int compareNumbers(Number a, Number b) {
    if ((a instanceof Long || a instanceof Integer)
        && (b instanceof Long || b instanceof Integer)) {
      return Long.compare(a.longValue(), b.longValue());
    }
    return Double.compare(a.doubleValue(), b.doubleValue());
  }

  /**
   * The order of the strings' UTF-8 bytes, without encoding them: that is code point order, which
   * differs from {@link String#compareTo}'s UTF-16 order only where a surrogate (half of a
   * character above U+FFFF) meets a unit in U+E000..U+FFFF. So the first differing unit decides,
   * surrogates lifted above that range. No allocation: a sort of 100,000 queue names compares about
   * 1.7 million pairs.
   */
  private static int compareUtf8(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        return Integer.compare(codePointRank(x), codePointRank(y));
      }
    }
    return Integer.compare(a.length(), b.length());
  }

  private static int codePointRank(char c) {
    if (Character.isSurrogate(c)) {
      return c + 0x2000;
    }
    return c >= 0xE000 ? c - 0x800 : c;
  }
}
