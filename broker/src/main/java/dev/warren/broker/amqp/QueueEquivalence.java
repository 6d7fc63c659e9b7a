package dev.warren.broker.amqp;

import dev.warren.amqp.LongString;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Whether a redeclaration's arguments are those of the queue, by RabbitMQ's rules: every {@code x-}
 * argument is compared by value within its type class (an integer equals the same number sent in
 * any other integer type), an absent {@code x-queue-type} is {@code classic}, and arguments without
 * the {@code x-} prefix are not compared at all. Stateless.
 */
final class QueueEquivalence {
  /** RabbitMQ checks its arguments in this order and names the first that differs. */
  private static final List<String> ORDER =
      List.of(
          "x-expires",
          "x-message-ttl",
          "x-dead-letter-exchange",
          "x-dead-letter-routing-key",
          "x-max-length",
          "x-max-length-bytes",
          "x-max-in-memory-length",
          "x-max-in-memory-bytes",
          "x-max-priority",
          "x-overflow",
          "x-queue-mode",
          "x-queue-version",
          "x-single-active-consumer",
          "x-queue-type");

  private static final String QUEUE_TYPE = "x-queue-type";
  private static final LongString CLASSIC = LongString.of("classic");

  private QueueEquivalence() {}

  /**
   * The first argument in which {@code wanted} differs from {@code existing}, or null when they are
   * equivalent.
   */
  static Difference firstDifference(Map<String, Object> existing, Map<String, Object> wanted) {
    TreeSet<String> rest = new TreeSet<>();
    for (String key : existing.keySet()) {
      if (key.startsWith("x-") && !ORDER.contains(key)) {
        rest.add(key);
      }
    }
    for (String key : wanted.keySet()) {
      if (key.startsWith("x-") && !ORDER.contains(key)) {
        rest.add(key);
      }
    }
    for (String key : ORDER) {
      Difference d = compare(key, existing, wanted);
      if (d != null) {
        return d;
      }
    }
    for (String key : rest) {
      Difference d = compare(key, existing, wanted);
      if (d != null) {
        return d;
      }
    }
    return null;
  }

  /**
   * An argument that differs, and how, in the words RabbitMQ's PRECONDITION_FAILED text uses after
   * {@code "inequivalent arg '<key>' for queue '<q>' in vhost '<v>': "}.
   */
  record Difference(String key, String description) {}

  private static Difference compare(
      String key, Map<String, Object> existing, Map<String, Object> wanted) {
    boolean had = existing.containsKey(key);
    boolean has = wanted.containsKey(key);
    Object was = existing.get(key);
    Object now = wanted.get(key);
    if (key.equals(QUEUE_TYPE)) {
      was = had ? was : CLASSIC;
      now = has ? now : CLASSIC;
      had = has = true;
    }
    if (!had && !has) {
      return null;
    }
    if (had && has) {
      return sameValue(was, now)
          ? null
          : new Difference(key, "received '" + now + "' but current is '" + was + "'");
    }
    return had
        ? new Difference(key, "received none but current is " + typed(was))
        : new Difference(key, "received " + typed(now) + " but current is none");
  }

  /** Equal within RabbitMQ's type classes: integers by value whatever their width. */
  private static boolean sameValue(Object a, Object b) {
    if (FieldTypes.isInteger(a) && FieldTypes.isInteger(b)) {
      return ((Number) a).longValue() == ((Number) b).longValue();
    }
    if (isText(a) && isText(b)) {
      return a.toString().equals(b.toString());
    }
    if (a instanceof byte[] x && b instanceof byte[] y) {
      return Arrays.equals(x, y);
    }
    return Objects.equals(a, b);
  }

  private static boolean isText(Object v) {
    return v instanceof LongString || v instanceof String;
  }

  private static String typed(Object v) {
    return "the value '" + v + "' of type '" + FieldTypes.name(v) + "'";
  }
}
