package dev.warren.management.metrics;

import static dev.warren.management.metrics.Family.CHANNEL_EXCHANGE_METRICS;
import static dev.warren.management.metrics.Family.CHANNEL_METRICS;
import static dev.warren.management.metrics.Family.CHANNEL_QUEUE_METRICS;
import static dev.warren.management.metrics.Family.CONNECTION_COARSE_METRICS;
import static dev.warren.management.metrics.Family.CONNECTION_METRICS;

import dev.warren.management.spi.ChannelInfo;
import dev.warren.management.spi.ConnectionInfo;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.Collection;
import java.util.List;

/**
 * Connection and channel families ({@code rabbitmq_connection_*}, {@code rabbitmq_channel_*},
 * {@code rabbitmq_consumer_prefetch}) with RabbitMQ's names and help. RabbitMQ labels both with the
 * owning Erlang process as {@code channel}; here {@code channel} carries the channel's name, or the
 * connection's for connection families. A channel's message counts are its own totals, not split by
 * exchange or queue as RabbitMQ's per-object samples are. Aggregated, the open objects are summed
 * (so a sum drops when one closes, as RabbitMQ's; the global counters never do).
 */
final class ConnectionMetrics {
  private ConnectionMetrics() {}

  static void collect(
      Scrape s,
      Collection<ConnectionInfo> connections,
      Collection<ChannelInfo> channels,
      List<MetricSnapshot> out) {
    Columns<ConnectionInfo> conns = connectionColumns(s);
    for (ConnectionInfo c : connections) {
      conns.add(c, () -> Labels.of("channel", c.name()));
    }
    conns.into(out);
    Columns<ChannelInfo> chans = channelColumns(s);
    for (ChannelInfo ch : channels) {
      chans.add(ch, () -> Labels.of("channel", ch.name()));
    }
    chans.into(out);
  }

  private static Columns<ConnectionInfo> connectionColumns(Scrape s) {
    Columns<ConnectionInfo> c = new Columns<>(s.perObject());
    if (s.wants(CONNECTION_COARSE_METRICS)) {
      c.counter(
              s.name("connection_incoming_bytes_total"),
              "Total number of bytes received on a connection",
              ConnectionInfo::recvOct)
          .counter(
              s.name("connection_outgoing_bytes_total"),
              "Total number of bytes sent on a connection",
              ConnectionInfo::sendOct);
    }
    if (s.wants(CONNECTION_METRICS)) {
      c.counter(
              s.name("connection_incoming_packets_total"),
              "Total number of packets received on a connection",
              ConnectionInfo::recvCnt)
          .counter(
              s.name("connection_outgoing_packets_total"),
              "Total number of packets sent on a connection",
              ConnectionInfo::sendCnt)
          .gauge(
              s.name("connection_pending_packets"),
              "Number of packets waiting to be sent on a connection",
              ConnectionInfo::sendPend)
          .gauge(
              s.name("connection_channels"), "Channels on a connection", ConnectionInfo::channels);
    }
    return c;
  }

  private static Columns<ChannelInfo> channelColumns(Scrape s) {
    Columns<ChannelInfo> c = new Columns<>(s.perObject());
    if (s.wants(CHANNEL_METRICS)) {
      c.gauge(s.name("channel_consumers"), "Consumers on a channel", ChannelInfo::consumerCount)
          .gauge(
              s.name("channel_messages_unacked"),
              "Delivered but not yet acknowledged messages",
              ChannelInfo::messagesUnacknowledged)
          .gauge(
              s.name("channel_messages_unconfirmed"),
              "Published but not yet confirmed messages",
              ChannelInfo::messagesUnconfirmed)
          .gauge(
              s.name("channel_messages_uncommitted"),
              "Messages received in a transaction but not yet committed",
              ChannelInfo::messagesUncommitted)
          .gauge(
              s.name("channel_acks_uncommitted"),
              "Message acknowledgements in a transaction not yet committed",
              ChannelInfo::acksUncommitted)
          .gauge(
              s.name("consumer_prefetch"),
              "Limit of unacknowledged messages for each consumer",
              ChannelInfo::prefetchCount)
          .gauge(
              s.name("channel_prefetch"),
              "Total limit of unacknowledged messages for all consumers on a channel",
              ChannelInfo::globalPrefetchCount);
    }
    if (s.wants(CHANNEL_EXCHANGE_METRICS)) {
      c.counter(
              s.name("channel_messages_published_total"),
              "Total number of messages published into an exchange on a channel",
              ch -> ch.counters().publish())
          .counter(
              s.name("channel_messages_confirmed_total"),
              "Total number of messages published into an exchange and confirmed on the channel",
              ch -> ch.counters().confirm())
          .counter(
              s.name("channel_messages_unroutable_returned_total"),
              "Total number of messages published as mandatory into an exchange and returned to"
                  + " the publisher as unroutable",
              ch -> ch.counters().returnUnroutable())
          .counter(
              s.name("channel_messages_unroutable_dropped_total"),
              "Total number of messages published as non-mandatory into an exchange and dropped"
                  + " as unroutable",
              ch -> ch.counters().dropUnroutable());
    }
    if (s.wants(CHANNEL_QUEUE_METRICS)) {
      c.counter(
              s.name("channel_get_ack_total"),
              "Total number of messages fetched with basic.get in manual acknowledgement mode",
              ch -> ch.counters().get())
          .counter(
              s.name("channel_get_total"),
              "Total number of messages fetched with basic.get in automatic acknowledgement mode",
              ch -> ch.counters().getNoAck())
          .counter(
              s.name("channel_messages_delivered_ack_total"),
              "Total number of messages delivered to consumers in manual acknowledgement mode",
              ch -> ch.counters().deliver())
          .counter(
              s.name("channel_messages_delivered_total"),
              "Total number of messages delivered to consumers in automatic acknowledgement mode",
              ch -> ch.counters().deliverNoAck())
          .counter(
              s.name("channel_messages_redelivered_total"),
              "Total number of messages redelivered to consumers",
              ch -> ch.counters().redeliver())
          .counter(
              s.name("channel_messages_acked_total"),
              "Total number of messages acknowledged by consumers",
              ch -> ch.counters().ack())
          .counter(
              s.name("channel_get_empty_total"),
              "Total number of times basic.get operations fetched no message",
              ch -> ch.counters().getEmpty());
    }
    return c;
  }
}
