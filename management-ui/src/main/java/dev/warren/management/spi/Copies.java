package dev.warren.management.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Immutable copies of JSON-like maps, which may hold nulls (unlike {@code Map.copyOf}). */
final class Copies {
  private Copies() {}

  static Map<String, Object> map(Map<String, ?> m) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }
}
