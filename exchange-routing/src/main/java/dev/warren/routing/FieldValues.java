package dev.warren.routing;

import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Field-table values as the codec decodes them (see amqp-codec's README for the Java type of each
 * wire type), compared the way RabbitMQ compares them when matching headers.
 */
final class FieldValues {

  private FieldValues() {}

  /** An unmodifiable copy that, unlike {@link Map#copyOf}, keeps {@code null} (void) values. */
  static Map<String, Object> immutableCopy(Map<String, Object> map) {
    if (map == null || map.isEmpty()) {
      return Map.of();
    }
    return Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  /**
   * Whether two non-null field values are equal as RabbitMQ's {@code ==} on decoded values: numbers
   * by value whatever their width ({@code Integer 1} equals {@code Long 1} and {@code Double 1.0}),
   * byte arrays by content, and a {@code String} equal to a long string whose {@code toString()} is
   * the same text (the codec's {@code LongString}, which this module does not know).
   */
  static boolean equal(Object a, Object b) {
    if (a.equals(b)) {
      return true;
    }
    if (a instanceof Number x && b instanceof Number y) {
      return numbersEqual(x, y);
    }
    if (a instanceof byte[] x && b instanceof byte[] y) {
      return Arrays.equals(x, y);
    }
    if (a instanceof String s && isLongStringLike(b)) {
      return s.equals(b.toString());
    }
    if (b instanceof String s && isLongStringLike(a)) {
      return s.equals(a.toString());
    }
    return false;
  }

  /** The text of a string-typed value (String or a long string), or null for other types. */
  static String text(Object value) {
    if (value instanceof String s) {
      return s;
    }
    return value != null && isLongStringLike(value) ? value.toString() : null;
  }

  private static boolean numbersEqual(Number x, Number y) {
    if (isIntegral(x) && isIntegral(y)) {
      return x.longValue() == y.longValue();
    }
    if (isIntegralOrFloating(x) && isIntegralOrFloating(y)) {
      return x.doubleValue() == y.doubleValue();
    }
    return false;
  }

  private static boolean isIntegral(Number n) {
    return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte;
  }

  private static boolean isIntegralOrFloating(Number n) {
    return isIntegral(n) || n instanceof Double || n instanceof Float;
  }

  /** A value of none of the codec's non-string types, so its toString() is its text. */
  private static boolean isLongStringLike(Object v) {
    return !(v instanceof String
        || v instanceof Number
        || v instanceof Boolean
        || v instanceof Character
        || v instanceof Date
        || v instanceof byte[]
        || v instanceof List<?>
        || v instanceof Map<?, ?>);
  }
}
