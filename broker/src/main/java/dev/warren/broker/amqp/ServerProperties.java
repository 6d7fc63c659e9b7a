package dev.warren.broker.amqp;

import dev.warren.amqp.LongString;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server-properties table of connection.start (RabbitMQ's keys and capabilities), and what else
 * the broker tells about itself: management shows the same product, version and mechanisms.
 * Thread-safe: the table for the last cluster name asked for is kept, since that name changes only
 * when the {@code cluster_name} global parameter does.
 */
public final class ServerProperties {
  public static final String PRODUCT = "Warren";
  public static final String VERSION = "0.1.0";

  /** The SASL mechanisms offered in connection.start, in order. */
  public static final List<String> MECHANISMS = List.of("PLAIN", "AMQPLAIN");

  private record Built(String clusterName, Map<String, Object> table) {}

  private static volatile Built last = new Built("", Map.of());

  private ServerProperties() {}

  /** The table, with {@code clusterName} as its {@code cluster_name}. Unmodifiable. */
  static Map<String, Object> table(String clusterName) {
    Built now = last;
    if (!now.clusterName().equals(clusterName)) {
      now = new Built(clusterName, build(clusterName));
      last = now;
    }
    return now.table();
  }

  private static Map<String, Object> build(String clusterName) {
    Map<String, Object> capabilities = new LinkedHashMap<>();
    for (String c :
        new String[] {
          "publisher_confirms",
          "exchange_exchange_bindings",
          "basic.nack",
          "consumer_cancel_notify",
          "connection.blocked",
          "consumer_priorities",
          "authentication_failure_close",
          "per_consumer_qos",
          "direct_reply_to"
        }) {
      capabilities.put(c, Boolean.TRUE);
    }
    Map<String, Object> table = new LinkedHashMap<>();
    table.put("capabilities", Collections.unmodifiableMap(capabilities));
    table.put("cluster_name", LongString.of(clusterName));
    table.put("copyright", LongString.of("Warren contributors"));
    table.put(
        "information",
        LongString.of("A RabbitMQ-compatible AMQP 0-9-1 broker; see the project README"));
    table.put("platform", LongString.of("Java " + Runtime.version().feature()));
    table.put("product", LongString.of(PRODUCT));
    table.put("version", LongString.of(VERSION));
    return Collections.unmodifiableMap(table);
  }
}
