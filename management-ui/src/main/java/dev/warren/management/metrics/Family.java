package dev.warren.management.metrics;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * RabbitMQ's metric groups, by the names the {@code family} parameter of {@code /metrics/detailed}
 * takes ({@code family=queue_coarse_metrics}). Only the groups this broker has figures for are
 * here; an unknown name is ignored, as RabbitMQ ignores it.
 */
enum Family {
  CONNECTION_CHURN_METRICS,
  NODE_COARSE_METRICS,
  NODE_METRICS,
  QUEUE_COARSE_METRICS,
  QUEUE_CONSUMER_COUNT,
  QUEUE_METRICS,
  QUEUE_DELIVERY_METRICS,
  /** RabbitMQ's per channel, queue and exchange; here per queue only. */
  CHANNEL_QUEUE_EXCHANGE_METRICS,
  CHANNEL_METRICS,
  CHANNEL_EXCHANGE_METRICS,
  CHANNEL_QUEUE_METRICS,
  CONNECTION_COARSE_METRICS,
  CONNECTION_METRICS,
  EXCHANGE_METRICS,
  /** Detailed only, under {@code rabbitmq_cluster_}. */
  VHOST_STATUS,
  /** Detailed only, under {@code rabbitmq_cluster_}. */
  EXCHANGE_BINDINGS,
  /** Detailed only, under {@code rabbitmq_cluster_}. */
  EXCHANGE_NAMES;

  /**
   * The groups {@code /metrics} and {@code /metrics/per-object} report: all but the cluster ones.
   */
  static final Set<Family> RAW = EnumSet.range(CONNECTION_CHURN_METRICS, EXCHANGE_METRICS);

  /** The groups the given names mean, unknown names left out. */
  static Set<Family> named(String[] names) {
    Set<Family> families = EnumSet.noneOf(Family.class);
    if (names != null) {
      for (String name : names) {
        for (Family f : values()) {
          if (f.name().toLowerCase(Locale.ROOT).equals(name)) {
            families.add(f);
          }
        }
      }
    }
    return families;
  }
}
