package dev.warren.management.api;

import static dev.warren.management.stats.Sampler.M_ACK;
import static dev.warren.management.stats.Sampler.M_CONFIRM;
import static dev.warren.management.stats.Sampler.M_DELIVER;
import static dev.warren.management.stats.Sampler.M_DELIVER_NO_ACK;
import static dev.warren.management.stats.Sampler.M_DROP_UNROUTABLE;
import static dev.warren.management.stats.Sampler.M_GET;
import static dev.warren.management.stats.Sampler.M_GET_EMPTY;
import static dev.warren.management.stats.Sampler.M_GET_NO_ACK;
import static dev.warren.management.stats.Sampler.M_PUBLISH;
import static dev.warren.management.stats.Sampler.M_READY;
import static dev.warren.management.stats.Sampler.M_REDELIVER;
import static dev.warren.management.stats.Sampler.M_RETURN_UNROUTABLE;
import static dev.warren.management.stats.Sampler.M_UNACKED;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warren.management.spi.MessageCounters;
import dev.warren.management.stats.SampleRing;

/**
 * {@code message_stats} of channels, vhosts and the overview, and the depth triple ({@code
 * messages}, {@code messages_ready}, {@code messages_unacknowledged}) of vhosts and totals.
 */
final class StatsView {
  private StatsView() {}

  /**
   * The publishing counts appear once anything was published, the delivery counts once anything was
   * delivered (as RabbitMQ shows them); null when neither.
   */
  static ObjectNode messageStats(MessageCounters m, SampleRing r, Details d) {
    boolean published = m.publish() > 0 || m.confirm() > 0 || m.returnUnroutable() > 0;
    boolean delivered = m.deliverGet() > 0 || m.getEmpty() > 0 || m.ack() > 0;
    if (!published && !delivered) {
      return null;
    }
    ObjectNode ms = Json.object();
    if (delivered) {
      d.count(ms, "ack", m.ack(), r, M_ACK);
    }
    if (published) {
      d.count(ms, "confirm", m.confirm(), r, M_CONFIRM);
    }
    if (delivered) {
      d.count(ms, "deliver", m.deliver(), r, M_DELIVER);
      d.count(
          ms, "deliver_get", m.deliverGet(), r, M_DELIVER, M_DELIVER_NO_ACK, M_GET, M_GET_NO_ACK);
      d.count(ms, "deliver_no_ack", m.deliverNoAck(), r, M_DELIVER_NO_ACK);
    }
    if (published) {
      d.count(ms, "drop_unroutable", m.dropUnroutable(), r, M_DROP_UNROUTABLE);
    }
    if (delivered) {
      d.count(ms, "get", m.get(), r, M_GET);
      d.count(ms, "get_empty", m.getEmpty(), r, M_GET_EMPTY);
      d.count(ms, "get_no_ack", m.getNoAck(), r, M_GET_NO_ACK);
    }
    if (published) {
      d.count(ms, "publish", m.publish(), r, M_PUBLISH);
    }
    if (delivered) {
      d.count(ms, "redeliver", m.redeliver(), r, M_REDELIVER);
    }
    if (published) {
      d.count(ms, "return_unroutable", m.returnUnroutable(), r, M_RETURN_UNROUTABLE);
    }
    return ms;
  }

  static void depths(ObjectNode o, long ready, long unacked, SampleRing r, Details d) {
    d.length(o, "messages", ready + unacked, r, M_READY, M_UNACKED);
    d.length(o, "messages_ready", ready, r, M_READY);
    d.length(o, "messages_unacknowledged", unacked, r, M_UNACKED);
  }
}
