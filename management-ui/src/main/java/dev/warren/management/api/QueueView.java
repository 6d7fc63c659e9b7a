package dev.warren.management.api;

import static dev.warren.management.stats.Sampler.Q_ACK;
import static dev.warren.management.stats.Sampler.Q_DELIVER;
import static dev.warren.management.stats.Sampler.Q_DELIVER_NO_ACK;
import static dev.warren.management.stats.Sampler.Q_GET;
import static dev.warren.management.stats.Sampler.Q_GET_NO_ACK;
import static dev.warren.management.stats.Sampler.Q_PUBLISH;
import static dev.warren.management.stats.Sampler.Q_READY;
import static dev.warren.management.stats.Sampler.Q_REDELIVER;
import static dev.warren.management.stats.Sampler.Q_UNACKED;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warren.management.spi.ConnectionInfo;
import dev.warren.management.spi.QueueFigures;
import dev.warren.management.spi.QueueInfo;
import dev.warren.management.spi.QueueReplicas;
import dev.warren.management.stats.SampleRing;
import dev.warren.management.stats.VhostName;
import java.util.Map;
import java.util.function.Function;

/** A queue as RabbitMQ 3.10's API shows it in {@code /api/queues}. */
final class QueueView {
  private QueueView() {}

  /** Sort keys read from the record, by JSON field. */
  static Map<String, Function<QueueInfo, Object>> sortKeys() {
    return Map.ofEntries(
        Map.entry("name", QueueInfo::name),
        Map.entry("vhost", QueueInfo::vhost),
        Map.entry("type", QueueInfo::type),
        Map.entry("state", QueueInfo::state),
        Map.entry("durable", QueueInfo::durable),
        Map.entry("auto_delete", QueueInfo::autoDelete),
        Map.entry("exclusive", QueueInfo::exclusive),
        Map.entry("messages", q -> q.figures().messages()),
        Map.entry("messages_ready", q -> q.figures().ready()),
        Map.entry("messages_unacknowledged", q -> q.figures().unacked()),
        Map.entry("message_bytes", q -> q.figures().messageBytes()),
        Map.entry("consumers", q -> (long) q.figures().consumers()));
  }

  static ObjectNode render(QueueInfo q, Views v, Function<String, ConnectionInfo> connections) {
    QueueFigures f = q.figures();
    ObjectNode o = Json.object();
    o.set("arguments", Json.tree(q.arguments()));
    o.put("auto_delete", q.autoDelete());
    if (!v.disableStats()) {
      double utilisation = f.consumers() > 0 ? 1.0 : 0;
      o.put("consumer_capacity", utilisation);
      o.put("consumer_utilisation", utilisation);
    }
    o.put("consumers", f.consumers());
    o.put("durable", q.durable());
    if (!v.disableStats()) {
      o.set("effective_policy_definition", Json.tree(q.effectivePolicyDefinition()));
    }
    o.put("exclusive", q.exclusive());
    if (!v.disableStats()) {
      Views.putNullable(o, "exclusive_consumer_tag", q.exclusiveConsumerTag());
      o.putNull("head_message_timestamp");
      if (f.idleSinceMillis() > 0) {
        o.put("idle_since", Views.idleSince(f.idleSinceMillis()));
      }
    }
    QueueReplicas replicas = q.replicas();
    if (replicas != null) {
      // RabbitMQ shows '' (an empty string) while the leader is not known to be alive.
      o.put("leader", replicas.leader() == null ? "" : replicas.leader());
      ArrayNode members = o.putArray("members");
      replicas.members().forEach(members::add);
    }
    SampleRing r =
        v.disableStats() ? null : v.sampler().queues.ring(new VhostName(q.vhost(), q.name()));
    if (!v.disableStats()) {
      o.put("message_bytes", f.messageBytes());
      o.put("message_bytes_paged_out", 0);
      o.put("message_bytes_persistent", 0);
      o.put("message_bytes_ram", f.messageBytes());
      o.put("message_bytes_ready", f.readyBytes());
      o.put("message_bytes_unacknowledged", f.unackedBytes());
      ObjectNode ms = messageStats(f, r, v.details());
      if (ms != null) {
        o.set("message_stats", ms);
      }
      v.details().length(o, "messages", f.messages(), r, Q_READY, Q_UNACKED);
      o.put("messages_paged_out", 0);
      o.put("messages_persistent", f.persistent());
      o.put("messages_ram", f.messages());
      v.details().length(o, "messages_ready", f.ready(), r, Q_READY);
      o.put("messages_ready_ram", f.ready());
      v.details().length(o, "messages_unacknowledged", f.unacked(), r, Q_UNACKED);
      o.put("messages_unacknowledged_ram", f.unacked());
    } else {
      o.put("messages", f.messages());
      o.put("messages_ready", f.ready());
      o.put("messages_unacknowledged", f.unacked());
    }
    o.put("name", q.name());
    o.put("node", replicas != null && replicas.leader() != null ? replicas.leader() : v.node());
    if (replicas != null) {
      ArrayNode online = o.putArray("online");
      replicas.online().forEach(online::add);
    }
    if (!v.disableStats()) {
      Views.putNullable(o, "operator_policy", q.operatorPolicy());
    }
    if (q.ownerConnection() != null) {
      ConnectionInfo c = connections.apply(q.ownerConnection());
      ObjectNode owner = o.putObject("owner_pid_details");
      owner.put("name", q.ownerConnection());
      if (c != null) {
        owner.put("peer_host", c.peerHost());
        owner.put("peer_port", c.peerPort());
      }
    }
    if (!v.disableStats() || q.policy() != null) {
      Views.putNullable(o, "policy", q.policy());
    }
    if (!v.disableStats()) {
      o.putNull("recoverable_slaves");
      Views.putNullable(o, "single_active_consumer_tag", q.singleActiveConsumerTag());
    }
    o.put("state", q.state());
    o.put("type", q.type());
    o.put("vhost", q.vhost());
    return o;
  }

  /**
   * RabbitMQ shows {@code publish} once the queue has had a message, and the delivery counts once
   * it has handed one out; a queue with neither has no {@code message_stats}.
   */
  private static ObjectNode messageStats(QueueFigures f, SampleRing r, Details d) {
    boolean published = f.published() > 0;
    boolean delivered = f.deliverGet() > 0 || f.acked() > 0;
    if (!published && !delivered) {
      return null;
    }
    ObjectNode ms = Json.object();
    if (delivered) {
      d.count(ms, "ack", f.acked(), r, Q_ACK);
      d.count(ms, "deliver", f.delivered(), r, Q_DELIVER);
      d.count(
          ms, "deliver_get", f.deliverGet(), r, Q_DELIVER, Q_DELIVER_NO_ACK, Q_GET, Q_GET_NO_ACK);
      d.count(ms, "deliver_no_ack", f.deliveredNoAck(), r, Q_DELIVER_NO_ACK);
      d.count(ms, "get", f.gets(), r, Q_GET);
      d.count(ms, "get_empty", 0, null, Q_GET);
      d.count(ms, "get_no_ack", f.getsNoAck(), r, Q_GET_NO_ACK);
    }
    d.count(ms, "publish", f.published(), r, Q_PUBLISH);
    if (delivered) {
      d.count(ms, "redeliver", f.redelivered(), r, Q_REDELIVER);
    }
    return ms;
  }
}
