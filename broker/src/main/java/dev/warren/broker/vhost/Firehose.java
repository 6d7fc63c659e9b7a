package dev.warren.broker.vhost;

import dev.warren.amqp.BasicProperties;
import dev.warren.amqp.LongString;
import dev.warren.queue.Message;
import dev.warren.queue.MessageQueue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RabbitMQ's firehose: while a virtual host is traced ({@link VirtualHost#tracing}: {@code
 * rabbitmqctl trace_on}, or {@code "tracing": true} over the management API), a copy of every
 * message published in it goes to its {@value #EXCHANGE} topic exchange with routing key {@code
 * publish.<exchange>}, and a copy of every delivery and basic.get-ok with {@code deliver.<queue>}.
 * A copy carries the original body and, as its only property, RabbitMQ's headers: {@code
 * exchange_name}, {@code routing_keys} (the routing key and the CC keys), {@code properties} (the
 * original's, by their RabbitMQ names), {@code node}, {@code vhost}, {@code connection}, {@code
 * channel}, {@code user}, and {@code routed_queues} on a publish or {@code redelivered} (0 or 1) on
 * a delivery. A message that came through the trace exchange is not traced again. Copies are never
 * confirmed, returned or counted as publishes.
 *
 * <p>Thread: the publishing or receiving connection's event loop. Buffers: the caller keeps its
 * reference to the message; a copy shares the body by a reference of its own.
 */
public final class Firehose {
  /** The trace exchange every virtual host has (topic, durable, internal). */
  public static final String EXCHANGE = "amq.rabbitmq.trace";

  private Firehose() {}

  /** Who published or received: the node, the connection's name, the channel number, the user. */
  public record Tap(String node, String connection, int channel, String user) {}

  /**
   * A message was published in {@code vhost} and routed to {@code queues} (none if unroutable).
   *
   * @param properties the message's properties as published
   * @param routingKeys its routing key, then its CC keys
   */
  public static void published(
      VirtualHost vhost,
      Message message,
      BasicProperties properties,
      List<String> routingKeys,
      List<MessageQueue> queues,
      Tap tap) {
    if (message.exchange().equals(EXCHANGE)) {
      return;
    }
    Map<String, Object> headers = common(vhost, message.exchange(), routingKeys, properties, tap);
    List<Object> routed = new ArrayList<>(queues.size());
    for (MessageQueue q : queues) {
      routed.add(LongString.of(q.name()));
    }
    headers.put("routed_queues", routed);
    trace(vhost, "publish." + message.exchange(), headers, message);
  }

  /** A message from {@code queue} went out to a consumer or in a basic.get-ok. */
  public static void delivered(
      VirtualHost vhost, String queue, Message message, boolean redelivered, Tap tap) {
    if (message.exchange().equals(EXCHANGE)) {
      return;
    }
    BasicProperties properties = BasicProperties.decode(message.properties().duplicate());
    List<String> keys = new ArrayList<>();
    keys.add(message.routingKey());
    if (properties.headers() != null && properties.headers().get("CC") instanceof List<?> cc) {
      for (Object key : cc) {
        keys.add(key.toString());
      }
    }
    Map<String, Object> headers = common(vhost, message.exchange(), keys, properties, tap);
    headers.put("redelivered", redelivered ? 1 : 0);
    trace(vhost, "deliver." + queue, headers, message);
  }

  private static Map<String, Object> common(
      VirtualHost vhost,
      String exchange,
      List<String> routingKeys,
      BasicProperties properties,
      Tap tap) {
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put("exchange_name", LongString.of(exchange));
    List<Object> keys = new ArrayList<>(routingKeys.size());
    for (String key : routingKeys) {
      keys.add(LongString.of(key));
    }
    headers.put("routing_keys", keys);
    headers.put("properties", table(properties));
    headers.put("node", LongString.of(tap.node()));
    headers.put("vhost", LongString.of(vhost.name()));
    headers.put("connection", LongString.of(tap.connection()));
    headers.put("channel", tap.channel());
    headers.put("user", LongString.of(tap.user()));
    return headers;
  }

  /** The properties present, by RabbitMQ's names. */
  private static Map<String, Object> table(BasicProperties p) {
    Map<String, Object> t = new LinkedHashMap<>();
    text(t, "content_type", p.contentType());
    text(t, "content_encoding", p.contentEncoding());
    if (p.headers() != null) {
      t.put("headers", p.headers());
    }
    if (p.deliveryMode() != null) {
      t.put("delivery_mode", p.deliveryMode());
    }
    if (p.priority() != null) {
      t.put("priority", p.priority());
    }
    text(t, "correlation_id", p.correlationId());
    text(t, "reply_to", p.replyTo());
    text(t, "expiration", p.expiration());
    text(t, "message_id", p.messageId());
    if (p.timestamp() != null) {
      t.put("timestamp", p.timestamp());
    }
    text(t, "type", p.type());
    text(t, "user_id", p.userId());
    text(t, "app_id", p.appId());
    text(t, "cluster_id", p.clusterId());
    return t;
  }

  private static void text(Map<String, Object> table, String name, String value) {
    if (value != null) {
      table.put(name, LongString.of(value));
    }
  }

  /** Routes a copy with {@code headers} through the trace exchange, if anything is bound to it. */
  private static void trace(
      VirtualHost vhost, String routingKey, Map<String, Object> headers, Message original) {
    QueueTargets targets = new QueueTargets();
    vhost
        .exchanges()
        .route(EXCHANGE, List.of(routingKey), () -> headers, null, targets.routeInto());
    if (targets.resolve(vhost) == 0) {
      return;
    }
    ByteBuf properties = ByteBufAllocator.DEFAULT.buffer();
    BasicProperties.EMPTY.withHeaders(headers).encode(properties);
    Message copy =
        new Message(
            EXCHANGE,
            routingKey,
            properties,
            original.body().retainedDuplicate(),
            false,
            0,
            -1,
            vhost.ledger());
    targets.publish(copy, null, () -> {});
    copy.release();
  }
}
