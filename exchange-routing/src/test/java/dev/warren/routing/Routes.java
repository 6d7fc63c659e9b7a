package dev.warren.routing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Test helpers. */
final class Routes {

  private Routes() {}

  static Exchange exchange(String name, ExchangeType type) {
    return new Exchange(name, type, false, false, false, Map.of());
  }

  /** Every destination reported by one {@link Exchange#route}, duplicates included, as names. */
  static List<String> routed(Exchange x, String key, Map<String, Object> headers) {
    List<String> names = new ArrayList<>();
    x.route(key, headers, d -> names.add(d.name()));
    return names;
  }

  /** The names of routed destinations. */
  static Set<String> names(Set<Destination> routed) {
    Set<String> names = new HashSet<>();
    for (Destination d : routed) {
      names.add(d.name());
    }
    return names;
  }

  /** A field table from alternating names and values; values may be null (void). */
  static Map<String, Object> table(Object... namesAndValues) {
    Map<String, Object> t = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      t.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return t;
  }

  /**
   * Stands for the codec's LongString, unknown to this module: equal by content to its own kind,
   * never to a String, and its toString() is the text.
   */
  record Text(String text) {
    @Override
    public String toString() {
      return text;
    }
  }
}
