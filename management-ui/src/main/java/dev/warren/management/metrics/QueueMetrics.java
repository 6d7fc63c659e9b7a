package dev.warren.management.metrics;

import static dev.warren.management.metrics.Family.CHANNEL_QUEUE_EXCHANGE_METRICS;
import static dev.warren.management.metrics.Family.QUEUE_COARSE_METRICS;
import static dev.warren.management.metrics.Family.QUEUE_CONSUMER_COUNT;
import static dev.warren.management.metrics.Family.QUEUE_DELIVERY_METRICS;
import static dev.warren.management.metrics.Family.QUEUE_METRICS;

import dev.warren.management.spi.ManagementBackend;
import dev.warren.management.spi.QueueFigures;
import dev.warren.management.spi.QueueTotals;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.List;

/**
 * Queue families ({@code rabbitmq_queue_*}) with RabbitMQ's names, help and labels ({@code vhost},
 * {@code queue}), and {@code rabbitmq_queue_info}. {@code rabbitmq_queue_messages_published_total}
 * is RabbitMQ's per channel, queue and exchange; here it is per queue ({@code queue_vhost}, {@code
 * queue}), whatever channel and exchange the messages came through. Aggregated, they come from
 * {@link ManagementBackend#queueTotals}, which builds nothing per queue; per object, from {@link
 * ManagementBackend#forEachQueue}. Figures the broker does not keep (messages in RAM, persistent
 * bytes, process memory, reductions, disk reads and writes, head timestamps) are not reported.
 */
final class QueueMetrics {
  private QueueMetrics() {}

  static void collect(
      Scrape s, ManagementBackend backend, QueueTotals totals, List<MetricSnapshot> out) {
    Columns<QueueFigures> c = columns(s);
    Columns<QueueFigures> published = new Columns<>(s.perObject());
    if (s.wants(CHANNEL_QUEUE_EXCHANGE_METRICS)) {
      published.counter(
          s.name("queue_messages_published_total"),
          "Total number of messages published to queues",
          QueueFigures::published);
    }
    boolean info =
        s.perObject()
            && (s.wants(QUEUE_COARSE_METRICS)
                || s.wants(QUEUE_CONSUMER_COUNT)
                || s.wants(QUEUE_METRICS));
    if (c.isEmpty() && published.isEmpty() && !info) {
      return;
    }
    if (!s.perObject()) {
      c.add(totals.sum(), () -> Labels.EMPTY);
      published.add(totals.sum(), () -> Labels.EMPTY);
      c.into(out);
      published.into(out);
      return;
    }
    Series queueInfo =
        Series.gauge(
            s.name("queue_info"),
            "A metric with a constant '1' value and labels that provide some queue details");
    backend.forEachQueue(
        s.vhosts(),
        (vhost, name, type, figures) -> {
          Labels labels = Labels.of("vhost", vhost, "queue", name);
          c.add(figures, () -> labels);
          published.add(figures, () -> Labels.of("queue_vhost", vhost, "queue", name));
          if (info) {
            queueInfo.add(
                labels.merge(Labels.of("queue_type", queueType(type), "membership", "leader")), 1);
          }
        });
    c.into(out);
    published.into(out);
    if (info) {
      out.add(queueInfo.snapshot());
    }
  }

  /**
   * RabbitMQ's module name for the type: {@code rabbit_classic_queue}, {@code rabbit_quorum_queue}.
   */
  private static String queueType(String type) {
    return "rabbit_" + type + "_queue";
  }

  private static Columns<QueueFigures> columns(Scrape s) {
    Columns<QueueFigures> c = new Columns<>(s.perObject());
    if (s.wants(QUEUE_COARSE_METRICS)) {
      c.gauge(
              s.name("queue_messages_ready"),
              "Messages ready to be delivered to consumers",
              QueueFigures::ready)
          .gauge(
              s.name("queue_messages_unacked"),
              "Messages delivered to consumers but not yet acknowledged",
              QueueFigures::unacked)
          .gauge(
              s.name("queue_messages"),
              "Sum of ready and unacknowledged messages - total queue depth",
              QueueFigures::messages);
    }
    if (s.wants(QUEUE_METRICS) || s.wants(QUEUE_CONSUMER_COUNT)) {
      c.gauge(s.name("queue_consumers"), "Consumers on a queue", QueueFigures::consumers);
    }
    if (s.wants(QUEUE_METRICS)) {
      c.gauge(
              s.name("queue_messages_bytes"),
              "Size in bytes of ready and unacknowledged messages",
              QueueFigures::messageBytes)
          .gauge(
              s.name("queue_messages_ready_bytes"),
              "Size in bytes of ready messages",
              QueueFigures::readyBytes)
          .gauge(
              s.name("queue_messages_unacked_bytes"),
              "Size in bytes of all unacknowledged messages",
              QueueFigures::unackedBytes)
          .gauge(
              s.name("queue_messages_persistent"), "Persistent messages", QueueFigures::persistent);
    }
    if (s.wants(QUEUE_DELIVERY_METRICS)) {
      c.counter(
              s.name("queue_get_ack_total"),
              "Total number of messages fetched from a queue with basic.get in manual"
                  + " acknowledgement mode",
              QueueFigures::gets)
          .counter(
              s.name("queue_get_total"),
              "Total number of messages fetched from a queue with basic.get in automatic"
                  + " acknowledgement mode",
              QueueFigures::getsNoAck)
          .counter(
              s.name("queue_messages_delivered_ack_total"),
              "Total number of messages delivered from a queue to consumers in manual"
                  + " acknowledgement mode",
              QueueFigures::delivered)
          .counter(
              s.name("queue_messages_delivered_total"),
              "Total number of messages delivered from a queue to consumers in automatic"
                  + " acknowledgement mode",
              QueueFigures::deliveredNoAck)
          .counter(
              s.name("queue_messages_redelivered_total"),
              "Total number of messages redelivered from a queue to consumers",
              QueueFigures::redelivered)
          .counter(
              s.name("queue_messages_acked_total"),
              "Total number of messages acknowledged by consumers on a queue",
              QueueFigures::acked);
    }
    return c;
  }
}
