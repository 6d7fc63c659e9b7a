package dev.warren.broker.amqp;

import dev.warren.amqp.LongString;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Values that the figures of many connections hold equal copies of, kept once: client property keys
 * and values (the same client library sends the same product, version, platform, copyright and
 * capabilities on every connection) and host addresses. Up to {@value #MAX_SHARED} distinct values
 * are shared, so that keeping them costs a connection little more than its own client property
 * table; the {@code connection_name} value, which is each connection's own, is never shared.
 *
 * <p>Thread-safe: any event loop uses it, concurrently.
 */
final class SharedValues {
  private static final int MAX_SHARED = 1024;
  private static final String CONNECTION_NAME = "connection_name";

  private final ConcurrentHashMap<Object, Object> shared = new ConcurrentHashMap<>();

  /**
   * The client properties of connection.start-ok as figures keep them: an unmodifiable copy of
   * {@code decoded} (null: none), nested tables and arrays unmodifiable too, long strings as {@link
   * String}s, timestamps as {@link java.time.Instant}s, byte arrays as {@link LongString}s.
   */
  Map<String, Object> clientProperties(Map<String, Object> decoded) {
    if (decoded == null || decoded.isEmpty()) {
      return Map.of();
    }
    return table(decoded, true);
  }

  /** A host address, shared with the connections from or to the same host. */
  String host(String address) {
    return (String) shared(address);
  }

  private Map<String, Object> table(Map<?, ?> decoded, boolean top) {
    Map<String, Object> copy = new LinkedHashMap<>();
    boolean hasNull = false;
    for (Map.Entry<?, ?> e : decoded.entrySet()) {
      String key = (String) shared(e.getKey());
      Object value = plain(e.getValue());
      hasNull |= value == null;
      copy.put(key, top && key.equals(CONNECTION_NAME) ? value : shared(value));
    }
    // Map.copyOf is the compact form, but holds no null (a void field value).
    return hasNull ? Collections.unmodifiableMap(copy) : Map.copyOf(copy);
  }

  private Object plain(Object value) {
    if (value instanceof LongString s) {
      return s.toString();
    } else if (value instanceof Map<?, ?> table) {
      return table(table, false);
    } else if (value instanceof List<?> array) {
      List<Object> copy = new ArrayList<>(array.size());
      for (Object element : array) {
        copy.add(shared(plain(element)));
      }
      return Collections.unmodifiableList(copy);
    } else if (value instanceof Date date) {
      return date.toInstant();
    } else if (value instanceof byte[] bytes) {
      return LongString.of(bytes);
    }
    return value;
  }

  private Object shared(Object value) {
    if (value == null || shared.size() >= MAX_SHARED) {
      return value;
    }
    Object known = shared.putIfAbsent(value, value);
    return known == null ? value : known;
  }
}
