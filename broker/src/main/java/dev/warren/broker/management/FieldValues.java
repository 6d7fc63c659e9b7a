package dev.warren.broker.management;

import dev.warren.amqp.BasicProperties;
import dev.warren.amqp.LongString;
import dev.warren.management.spi.ManagementException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The management API's JSON-like values ({@code String}, {@code Long}, {@code Double}, {@code
 * Boolean}, {@code null}, lists and maps of those) to AMQP field values as the codec decodes them,
 * and back; and basic properties by RabbitMQ's JSON names. A JSON string becomes a {@link
 * LongString} (type {@code S}) and a JSON integer a {@code Long} (type {@code l}), as RabbitMQ's
 * API reads them (and, as it, refuses a null): so an argument given over HTTP equals the same one
 * sent by an AMQP client, or read back from the definitions store. Stateless.
 */
final class FieldValues {
  private FieldValues() {}

  /** JSON-like arguments as an AMQP field table; a null anywhere is refused, as RabbitMQ does. */
  static Map<String, Object> table(Map<String, Object> json) {
    Map<String, Object> table = new LinkedHashMap<>();
    json.forEach((k, v) -> table.put(k, amqp(v)));
    return Collections.unmodifiableMap(table);
  }

  private static Object amqp(Object v) {
    if (v == null) {
      throw ManagementException.badRequest("null_not_allowed");
    }
    if (v instanceof Boolean || v instanceof Double) {
      return v;
    }
    if (v instanceof String s) {
      return LongString.of(s);
    }
    if (v instanceof Long || v instanceof Integer) {
      return ((Number) v).longValue();
    }
    if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(x -> out.add(amqp(x)));
      return Collections.unmodifiableList(out);
    }
    if (v instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, x) -> out.put(String.valueOf(k), amqp(x)));
      return Collections.unmodifiableMap(out);
    }
    throw ManagementException.badRequest("unsupported value " + v);
  }

  /**
   * An AMQP field table as JSON-like values: every integer type a {@code Long}, so that two tables
   * equal as AMQP values are equal here too.
   */
  static Map<String, Object> json(Map<String, Object> table) {
    Map<String, Object> json = new LinkedHashMap<>();
    if (table != null) {
      table.forEach((k, v) -> json.put(k, json(v)));
    }
    return json;
  }

  private static Object json(Object v) {
    if (v == null || v instanceof Boolean || v instanceof Long || v instanceof Double) {
      return v;
    }
    if (v instanceof LongString || v instanceof String) {
      return v.toString();
    }
    if (v instanceof Byte || v instanceof Short || v instanceof Integer) {
      return ((Number) v).longValue();
    }
    if (v instanceof Float f) {
      return f.doubleValue();
    }
    if (v instanceof BigDecimal d) {
      return d.doubleValue();
    }
    if (v instanceof Date d) {
      return d.getTime() / 1000;
    }
    if (v instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(x -> out.add(json(x)));
      return out;
    }
    if (v instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, x) -> out.put(String.valueOf(k), json(x)));
      return out;
    }
    return v.toString();
  }

  /**
   * Basic properties from the API's {@code properties} object. A value of the wrong type is refused
   * with 400 naming the property ({@code not_int delivery_mode}); a header may not be null
   * (RabbitMQ's {@code null_not_allowed}); unknown names are ignored.
   */
  static BasicProperties properties(Map<String, Object> json) {
    Object headers = json.get("headers");
    if (headers != null && !(headers instanceof Map)) {
      throw ManagementException.badRequest("not_table headers");
    }
    Map<String, Object> table = null;
    if (headers instanceof Map<?, ?> map) {
      table = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        table.put(String.valueOf(e.getKey()), amqp(e.getValue()));
      }
    }
    Long timestamp = integer(json, "timestamp");
    return new BasicProperties(
        text(json, "content_type"),
        text(json, "content_encoding"),
        table,
        octet(json, "delivery_mode"),
        octet(json, "priority"),
        text(json, "correlation_id"),
        text(json, "reply_to"),
        text(json, "expiration"),
        text(json, "message_id"),
        timestamp == null ? null : new Date(timestamp * 1000),
        text(json, "type"),
        text(json, "user_id"),
        text(json, "app_id"),
        text(json, "cluster_id"));
  }

  private static String text(Map<String, Object> json, String key) {
    Object v = json.get(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw ManagementException.badRequest("not_string " + key);
    }
    return s;
  }

  private static Long integer(Map<String, Object> json, String key) {
    Object v = json.get(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Long || v instanceof Integer)) {
      throw ManagementException.badRequest("not_int " + key);
    }
    return ((Number) v).longValue();
  }

  private static Integer octet(Map<String, Object> json, String key) {
    Long v = integer(json, key);
    if (v == null) {
      return null;
    }
    if (v < 0 || v > 255) {
      throw ManagementException.badRequest("not_octet " + key);
    }
    return v.intValue();
  }

  /** Basic properties by RabbitMQ's JSON names, the absent ones left out. */
  static Map<String, Object> json(BasicProperties p) {
    Map<String, Object> json = new LinkedHashMap<>();
    put(json, "content_type", p.contentType());
    put(json, "content_encoding", p.contentEncoding());
    put(json, "priority", p.priority());
    put(json, "correlation_id", p.correlationId());
    put(json, "reply_to", p.replyTo());
    put(json, "expiration", p.expiration());
    put(json, "message_id", p.messageId());
    put(json, "timestamp", p.timestamp() == null ? null : p.timestamp().getTime() / 1000);
    put(json, "type", p.type());
    put(json, "user_id", p.userId());
    put(json, "app_id", p.appId());
    put(json, "cluster_id", p.clusterId());
    put(json, "delivery_mode", p.deliveryMode());
    if (p.headers() != null) {
      json.put("headers", json(p.headers()));
    }
    return json;
  }

  private static void put(Map<String, Object> json, String key, Object value) {
    if (value != null) {
      json.put(key, value);
    }
  }
}
