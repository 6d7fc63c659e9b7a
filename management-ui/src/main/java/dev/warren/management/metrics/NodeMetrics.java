package dev.warren.management.metrics;

import static dev.warren.management.metrics.Family.CONNECTION_CHURN_METRICS;
import static dev.warren.management.metrics.Family.NODE_COARSE_METRICS;
import static dev.warren.management.metrics.Family.NODE_METRICS;

import dev.warren.management.spi.ChurnCounters;
import dev.warren.management.spi.NodeInfo;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.List;

/**
 * The node's families: {@code rabbitmq_identity_info} and {@code rabbitmq_build_info} (every
 * endpoint), connection and channel churn, memory, disk and descriptors against their limits,
 * uptime, and, outside the detailed endpoint, the object counts ({@code rabbitmq_connections},
 * {@code _channels}, {@code _consumers}, {@code _queues}) and the alarms. Erlang's own figures
 * (processes, reductions, schedulers, garbage collection) have JVM counterparts under {@code jvm_*}
 * instead.
 */
final class NodeMetrics {
  private NodeMetrics() {}

  /** Open objects, counted once per scrape by the collector. */
  record Counts(int connections, int channels, int consumers, int queues) {}

  static void collect(
      Scrape s, NodeInfo node, Counts counts, long nowMillis, List<MetricSnapshot> out) {
    if (s.wants(CONNECTION_CHURN_METRICS)) {
      ChurnCounters churn = node.churn();
      counter(
          out,
          s.name("connections_opened_total"),
          "Total number of connections opened",
          churn.connectionCreated());
      counter(
          out,
          s.name("connections_closed_total"),
          "Total number of connections closed or terminated",
          churn.connectionClosed());
      counter(
          out,
          s.name("channels_opened_total"),
          "Total number of channels opened",
          churn.channelCreated());
      counter(
          out,
          s.name("channels_closed_total"),
          "Total number of channels closed",
          churn.channelClosed());
      counter(
          out,
          s.name("queues_declared_total"),
          "Total number of queues declared",
          churn.queueDeclared());
      counter(
          out,
          s.name("queues_created_total"),
          "Total number of queues created",
          churn.queueCreated());
      counter(
          out,
          s.name("queues_deleted_total"),
          "Total number of queues deleted",
          churn.queueDeleted());
    }
    if (s.wants(NODE_COARSE_METRICS)) {
      if (node.fdUsed() >= 0) {
        gauge(out, s.name("process_open_fds"), "Open file descriptors", node.fdUsed());
      }
      gauge(out, s.name("process_resident_memory_bytes"), "Memory used in bytes", node.memUsed());
      gauge(
          out,
          s.name("disk_space_available_bytes"),
          "Disk space available in bytes",
          node.diskFree());
    }
    if (s.wants(NODE_METRICS)) {
      if (node.fdTotal() >= 0) {
        gauge(out, s.name("process_max_fds"), "Open file descriptors limit", node.fdTotal());
      }
      gauge(
          out,
          s.name("resident_memory_limit_bytes"),
          "Memory high watermark in bytes",
          node.memLimit());
      gauge(
          out,
          s.name("disk_space_available_limit_bytes"),
          "Free disk space low watermark in bytes",
          node.diskFreeLimit());
      gauge(
          out,
          s.name("erlang_uptime_seconds"),
          "Node uptime",
          Math.max(0, nowMillis - node.startedAtMillis()) / 1000.0);
    }
    if (s.nodeWide()) {
      gauge(out, Scrape.plain("connections"), "Connections currently open", counts.connections());
      gauge(out, Scrape.plain("channels"), "Channels currently open", counts.channels());
      gauge(out, Scrape.plain("consumers"), "Consumers currently connected", counts.consumers());
      gauge(out, Scrape.plain("queues"), "Queues available", counts.queues());
      out.add(
          Series.untyped(
                  "rabbitmq_alarms_free_disk_space_watermark",
                  "is 1 if free disk space watermark alarm is in effect")
              .add(node.diskFreeAlarm() ? 1 : 0)
              .snapshot());
      out.add(
          Series.untyped(
                  "rabbitmq_alarms_memory_used_watermark",
                  "is 1 if VM memory watermark alarm is in effect")
              .add(node.memAlarm() ? 1 : 0)
              .snapshot());
    }
    out.add(
        Series.untyped(Scrape.plain("build_info"), "RabbitMQ & Erlang/OTP version info")
            .add(
                Labels.of(
                    "rabbitmq_version", node.productVersion(),
                    "product_name", node.productName(),
                    "product_version", node.productVersion(),
                    "prometheus_client_version", MetricsServer.CLIENT_VERSION),
                1)
            .snapshot());
    out.add(
        Series.untyped(Scrape.plain("identity_info"), "RabbitMQ node & cluster identity info")
            .add(
                Labels.of(
                    "rabbitmq_node", node.name(),
                    "rabbitmq_cluster", node.clusterName(),
                    "rabbitmq_endpoint", s.endpoint.label),
                1)
            .snapshot());
  }

  private static void gauge(List<MetricSnapshot> out, String name, String help, double value) {
    out.add(Series.gauge(name, help).add(value).snapshot());
  }

  private static void counter(List<MetricSnapshot> out, String name, String help, double value) {
    out.add(Series.counter(name, help).add(value).snapshot());
  }
}
