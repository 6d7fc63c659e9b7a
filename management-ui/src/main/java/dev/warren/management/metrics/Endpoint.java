package dev.warren.management.metrics;

/**
 * The three paths of RabbitMQ's Prometheus plugin, each a registry of its own there.
 *
 * <ul>
 *   <li>{@code /metrics}: every family summed over its objects (no queue, channel or connection
 *       label), cheap whatever the number of objects; with JVM and process metrics.
 *   <li>{@code /metrics/per-object}: one sample per object (queue, exchange, channel, connection).
 *   <li>{@code /metrics/detailed}: only the families named by {@code family} parameters, per
 *       object, queues and exchanges only of the vhosts named by {@code vhost} parameters (all when
 *       none), under the {@code rabbitmq_detailed_} and {@code rabbitmq_cluster_} prefixes.
 * </ul>
 */
enum Endpoint {
  AGGREGATED("/metrics", "aggregated"),
  PER_OBJECT("/metrics/per-object", "per-object"),
  DETAILED("/metrics/detailed", "detailed");

  final String path;

  /** The {@code rabbitmq_endpoint} label of {@code rabbitmq_identity_info}. */
  final String label;

  Endpoint(String path, String label) {
    this.path = path;
    this.label = label;
  }

  /**
   * The endpoint of a request path; any other path under {@code /metrics} is the aggregated one.
   */
  static Endpoint of(String path) {
    String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    for (Endpoint e : values()) {
      if (e.path.equals(p)) {
        return e;
      }
    }
    return AGGREGATED;
  }

  boolean perObject() {
    return this != AGGREGATED;
  }
}
