package dev.warren.management.metrics;

import dev.warren.management.spi.GlobalCounters;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.List;

/**
 * RabbitMQ's global counters ({@code rabbitmq_global_*}): counts since the node started that never
 * go back, whatever closes; what the RabbitMQ-Overview dashboard draws its message rates from.
 * Labelled by {@code protocol} (always {@code amqp091}), the delivery counts also by {@code
 * queue_type}: every queue counts as {@code rabbit_classic_queue}, since the broker does not split
 * its channel counts by the type of the queue. Not reported: the dead-letter and stream counters.
 */
final class GlobalMetrics {
  private static final Labels PROTOCOL = Labels.of("protocol", "amqp091");
  private static final Labels PROTOCOL_QUEUE_TYPE =
      Labels.of("protocol", "amqp091", "queue_type", "rabbit_classic_queue");

  private GlobalMetrics() {}

  /**
   * @param consumers consumers now
   * @param publishers open channels that have published (RabbitMQ counts a channel as a publisher
   *     from its first basic.publish until it closes)
   */
  static void collect(GlobalCounters g, int consumers, int publishers, List<MetricSnapshot> out) {
    protocol(
        out,
        "messages_received_total",
        "Total number of messages received from publishers",
        g.received());
    protocol(
        out,
        "messages_received_confirm_total",
        "Total number of messages received from publishers expecting confirmations",
        g.receivedConfirm());
    protocol(
        out,
        "messages_routed_total",
        "Total number of messages routed to queues or streams",
        g.routed());
    protocol(
        out,
        "messages_unroutable_dropped_total",
        "Total number of messages published as non-mandatory into an exchange and dropped as"
            + " unroutable",
        g.unroutableDropped());
    protocol(
        out,
        "messages_unroutable_returned_total",
        "Total number of messages published as mandatory into an exchange and returned to the"
            + " publisher as unroutable",
        g.unroutableReturned());
    protocol(
        out,
        "messages_confirmed_total",
        "Total number of messages confirmed to publishers",
        g.confirmed());
    out.add(
        Series.gauge("rabbitmq_global_publishers", "Current number of publishers")
            .add(PROTOCOL, publishers)
            .snapshot());
    out.add(
        Series.gauge("rabbitmq_global_consumers", "Current number of consumers")
            .add(PROTOCOL, consumers)
            .snapshot());
    byQueueType(
        out,
        "messages_delivered_total",
        "Total number of messages delivered to consumers",
        g.delivered());
    byQueueType(
        out,
        "messages_delivered_consume_manual_ack_total",
        "Total number of messages delivered to consumers using basic.consume with manual"
            + " acknowledgment",
        g.deliveredConsumeManualAck());
    byQueueType(
        out,
        "messages_delivered_consume_auto_ack_total",
        "Total number of messages delivered to consumers using basic.consume with automatic"
            + " acknowledgment",
        g.deliveredConsumeAutoAck());
    byQueueType(
        out,
        "messages_delivered_get_manual_ack_total",
        "Total number of messages delivered to consumers using basic.get with manual"
            + " acknowledgment",
        g.deliveredGetManualAck());
    byQueueType(
        out,
        "messages_delivered_get_auto_ack_total",
        "Total number of messages delivered to consumers using basic.get with automatic"
            + " acknowledgment",
        g.deliveredGetAutoAck());
    byQueueType(
        out,
        "messages_get_empty_total",
        "Total number of times basic.get operations fetched no message",
        g.getEmpty());
    byQueueType(
        out,
        "messages_redelivered_total",
        "Total number of messages redelivered to consumers",
        g.redelivered());
    byQueueType(
        out,
        "messages_acknowledged_total",
        "Total number of messages acknowledged by consumers",
        g.acknowledged());
  }

  private static void protocol(List<MetricSnapshot> out, String name, String help, long value) {
    out.add(Series.counter("rabbitmq_global_" + name, help).add(PROTOCOL, value).snapshot());
  }

  private static void byQueueType(List<MetricSnapshot> out, String name, String help, long value) {
    out.add(
        Series.counter("rabbitmq_global_" + name, help).add(PROTOCOL_QUEUE_TYPE, value).snapshot());
  }
}
