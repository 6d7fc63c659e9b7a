package dev.warren.management.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Immutable copies of JSON-like maps, which may hold nulls (unlike {@code Map.copyOf}). */
final class Copies {
  private Copies() {}

  /**
   * An unmodifiable copy; the empty map is shared (most queues and exchanges have no arguments: at
   * 100,000 queues a list request otherwise builds 200,000 empty maps).
   */
  static Map<String, Object> map(Map<String, ?> m) {
    if (m.isEmpty()) {
      return Map.of();
    }
    return Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }
}
