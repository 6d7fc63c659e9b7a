package dev.warren.broker.policy;

import dev.warren.amqp.LongString;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The values of policy definitions and parameters, as JSON gives them (the management API) or as
 * the definitions store gives them back (an AMQP field table): one Java type per JSON type, so that
 * a definition compares equal before and after a restart. Strings are {@code String}, integers
 * {@code Long}, other numbers {@code Double}, objects sorted unmodifiable maps, arrays unmodifiable
 * lists; {@code Boolean} and null stay. Also prints a value as RabbitMQ's messages print it
 * (Erlang's {@code ~p}). Stateless.
 */
public final class PolicyValues {
  private PolicyValues() {}

  /** A map of values, normalized, in key order, unmodifiable. */
  public static Map<String, Object> table(Map<?, ?> values) {
    Map<String, Object> sorted = new TreeMap<>();
    for (Map.Entry<?, ?> e : values.entrySet()) {
      sorted.put(String.valueOf(e.getKey()), value(e.getValue()));
    }
    return Collections.unmodifiableMap(sorted);
  }

  /** One value, normalized. */
  public static Object value(Object v) {
    if (v instanceof LongString s) {
      return s.toString();
    }
    if (v instanceof Byte || v instanceof Short || v instanceof Integer) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger big && big.bitLength() < 64) {
      return big.longValue();
    }
    if (v instanceof Float f) {
      return f.doubleValue();
    }
    if (v instanceof Map<?, ?> map) {
      return table(map);
    }
    if (v instanceof List<?> list) {
      List<Object> values = new ArrayList<>(list.size());
      for (Object item : list) {
        values.add(value(item));
      }
      return Collections.unmodifiableList(values);
    }
    return v;
  }

  /**
   * {@code v} (normalized) as Erlang's {@code ~p} prints the term RabbitMQ decodes from the same
   * JSON: {@code <<"text">>}, {@code 5}, {@code 1.5}, {@code 1.0e20}, {@code true}, {@code null},
   * {@code [1,2]}, {@code #{<<"k">> => 1}}.
   */
  public static String format(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof String s) {
      return "<<\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\">>";
    }
    if (v instanceof Double d) {
      return d.toString().replace('E', 'e');
    }
    if (v instanceof List<?> list) {
      StringBuilder out = new StringBuilder("[");
      for (int i = 0; i < list.size(); i++) {
        out.append(i == 0 ? "" : ",").append(format(list.get(i)));
      }
      return out.append(']').toString();
    }
    if (v instanceof Map<?, ?> map) {
      StringBuilder out = new StringBuilder("#{");
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.append(first ? "" : ",").append(format(e.getKey())).append(" => ");
        out.append(format(e.getValue()));
        first = false;
      }
      return out.append('}').toString();
    }
    return v.toString();
  }

  /** Key-value pairs as Erlang prints a proplist: {@code [{<<"a">>,1},{<<"b">>,<<"x">>}]}. */
  static String formatPairs(Map<String, Object> pairs) {
    StringBuilder out = new StringBuilder("[");
    boolean first = true;
    for (Map.Entry<String, Object> e : pairs.entrySet()) {
      out.append(first ? "{" : ",{").append(format(e.getKey())).append(',');
      out.append(format(e.getValue())).append('}');
      first = false;
    }
    return out.append(']').toString();
  }
}
