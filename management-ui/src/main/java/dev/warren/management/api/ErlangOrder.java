package dev.warren.management.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warren.management.spi.NameOrder;
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
      case 2 -> NameOrder.UTF8.compare((String) a, (String) b);
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
}
