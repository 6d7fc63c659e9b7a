package dev.warren.management.api;

import static dev.warren.management.stats.Sampler.C_RECV_OCT;
import static dev.warren.management.stats.Sampler.C_SEND_OCT;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warren.management.spi.ChannelInfo;
import dev.warren.management.spi.ConnectionInfo;
import dev.warren.management.spi.ConsumerInfo;
import dev.warren.management.stats.SampleRing;
import java.util.Map;
import java.util.function.Function;

/** Connections, channels and consumers as RabbitMQ 3.10's API shows them. */
final class ConnectionView {
  private ConnectionView() {}

  static Map<String, Function<ConnectionInfo, Object>> connectionKeys() {
    return Map.of(
        "name", ConnectionInfo::name,
        "vhost", ConnectionInfo::vhost,
        "user", ConnectionInfo::user,
        "channels", c -> (long) c.channels(),
        "recv_oct", ConnectionInfo::recvOct,
        "send_oct", ConnectionInfo::sendOct,
        "state", ConnectionInfo::state);
  }

  static Map<String, Function<ChannelInfo, Object>> channelKeys() {
    return Map.of(
        "name", ChannelInfo::name,
        "vhost", ChannelInfo::vhost,
        "user", ChannelInfo::user,
        "number", c -> (long) c.number(),
        "consumer_count", c -> (long) c.consumerCount(),
        "messages_unacknowledged", c -> (long) c.messagesUnacknowledged(),
        "prefetch_count", c -> (long) c.prefetchCount());
  }

  static ObjectNode connection(ConnectionInfo c, Views v) {
    ObjectNode o = Json.object();
    o.put("auth_mechanism", c.authMechanism());
    o.put("channel_max", c.channelMax());
    o.put("channels", c.channels());
    o.set("client_properties", Json.tree(c.clientProperties()));
    o.put("connected_at", c.connectedAtMillis());
    o.put("frame_max", c.frameMax());
    o.put("host", c.host());
    o.put("name", c.name());
    o.put("node", v.node());
    o.putNull("peer_cert_issuer");
    o.putNull("peer_cert_subject");
    o.putNull("peer_cert_validity");
    o.put("peer_host", c.peerHost());
    o.put("peer_port", c.peerPort());
    o.put("port", c.port());
    o.put("protocol", c.protocol());
    SampleRing r = v.sampler().connections.ring(c.name());
    o.put("recv_cnt", c.recvCnt());
    v.details().count(o, "recv_oct", c.recvOct(), r, C_RECV_OCT);
    o.put("send_cnt", c.sendCnt());
    v.details().count(o, "send_oct", c.sendOct(), r, C_SEND_OCT);
    o.put("send_pend", c.sendPend());
    o.put("ssl", c.ssl());
    ConnectionInfo.Tls tls = c.tls();
    Views.putNullable(o, "ssl_cipher", tls == null ? null : tls.cipher());
    Views.putNullable(o, "ssl_hash", tls == null ? null : tls.hash());
    Views.putNullable(o, "ssl_key_exchange", tls == null ? null : tls.keyExchange());
    Views.putNullable(o, "ssl_protocol", tls == null ? null : tls.protocol());
    o.put("state", c.state());
    o.put("timeout", c.heartbeat());
    o.put("type", "network");
    o.put("user", c.user());
    Views.putNullable(o, "user_provided_name", c.userProvidedName());
    o.put("user_who_performed_action", c.user());
    o.put("vhost", c.vhost());
    return o;
  }

  static ObjectNode channel(ChannelInfo c, Views v) {
    ObjectNode o = Json.object();
    o.put("acks_uncommitted", c.acksUncommitted());
    o.put("confirm", c.confirm());
    ObjectNode conn = o.putObject("connection_details");
    conn.put("name", c.connectionName());
    conn.put("peer_host", c.peerHost());
    conn.put("peer_port", c.peerPort());
    o.put("consumer_count", c.consumerCount());
    o.put("global_prefetch_count", c.globalPrefetchCount());
    if (c.idleSinceMillis() > 0) {
      o.put("idle_since", Views.idleSince(c.idleSinceMillis()));
    }
    ObjectNode ms =
        StatsView.messageStats(c.counters(), v.sampler().channels.ring(c.name()), v.details());
    if (ms != null) {
      o.set("message_stats", ms);
    }
    o.put("messages_unacknowledged", c.messagesUnacknowledged());
    o.put("messages_uncommitted", c.messagesUncommitted());
    o.put("messages_unconfirmed", c.messagesUnconfirmed());
    o.put("name", c.name());
    o.put("node", v.node());
    o.put("number", c.number());
    o.put("pending_raft_commands", 0);
    o.put("prefetch_count", c.prefetchCount());
    o.put("state", c.state());
    o.put("transactional", c.transactional());
    o.put("user", c.user());
    o.put("user_who_performed_action", c.user());
    o.put("vhost", c.vhost());
    return o;
  }

  /** A consumer; {@code channel} may be null when its channel closed meanwhile. */
  static ObjectNode consumer(ConsumerInfo c, ChannelInfo channel, String node) {
    ObjectNode o = Json.object();
    o.set("arguments", Json.tree(c.arguments()));
    o.put("ack_required", c.ackRequired());
    o.put("active", c.active());
    o.put("activity_status", c.activityStatus());
    ObjectNode ch = o.putObject("channel_details");
    if (channel != null) {
      ch.put("connection_name", channel.connectionName());
      ch.put("name", channel.name());
      ch.put("node", node);
      ch.put("number", channel.number());
      ch.put("peer_host", channel.peerHost());
      ch.put("peer_port", channel.peerPort());
      ch.put("user", channel.user());
    } else {
      ch.put("name", c.channelName());
    }
    o.put("consumer_tag", c.consumerTag());
    o.put("exclusive", c.exclusive());
    o.put("prefetch_count", c.prefetchCount());
    ObjectNode q = o.putObject("queue");
    q.put("name", c.queue());
    q.put("vhost", c.vhost());
    return o;
  }
}
