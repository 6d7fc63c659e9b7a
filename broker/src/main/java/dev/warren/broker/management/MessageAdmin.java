package dev.warren.broker.management;

import dev.warren.amqp.AmqpException;
import dev.warren.amqp.BasicProperties;
import dev.warren.amqp.ChannelException;
import dev.warren.amqp.ReplyCode;
import dev.warren.amqp.method.BasicGet;
import dev.warren.amqp.method.BasicPublish;
import dev.warren.broker.access.AccessControl;
import dev.warren.broker.access.Grants;
import dev.warren.broker.access.User;
import dev.warren.broker.amqp.AccessChecks;
import dev.warren.broker.amqp.PublishedProperties;
import dev.warren.broker.amqp.QueueErrors;
import dev.warren.broker.amqp.ResourceAlarm;
import dev.warren.broker.vhost.QueueTargets;
import dev.warren.broker.vhost.QueueType;
import dev.warren.broker.vhost.VirtualHost;
import dev.warren.management.spi.AckMode;
import dev.warren.management.spi.FetchedMessage;
import dev.warren.management.spi.ManagementException;
import dev.warren.management.spi.OutboundMessage;
import dev.warren.queue.Confirmation;
import dev.warren.queue.Delivery;
import dev.warren.queue.Message;
import dev.warren.queue.MessageQueue;
import dev.warren.routing.Exchange;
import dev.warren.routing.HashProperties;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Publishing and getting messages through the management API, as RabbitMQ's API does it over an
 * AMQP channel of its own: a publish is routed as basic.publish routes (CC and BCC included) and
 * answered once every queue it reached has made it safe, as a publisher confirm would be; a get is
 * basic.get on the queue's own thread, settled once all are taken as the ack mode says. Refusals
 * are worded as RabbitMQ's API words its channel's ({@code "404 NOT_FOUND - ..."}, always 400).
 * Management worker threads.
 */
final class MessageAdmin {
  private final VhostAdmin vhostAdmin;
  private final QueueAdmin queues;
  private final long maxMessageSize;
  private final AccessControl access;
  private final ResourceAlarm alarm;

  MessageAdmin(
      VhostAdmin vhostAdmin,
      QueueAdmin queues,
      long maxMessageSize,
      AccessControl access,
      ResourceAlarm alarm) {
    this.vhostAdmin = vhostAdmin;
    this.queues = queues;
    this.maxMessageSize = maxMessageSize;
    this.access = access;
    this.alarm = alarm;
  }

  /**
   * Routes and enqueues; true when at least one queue took it (RabbitMQ's {@code routed}). Checked
   * as basic.publish is (the user's topic permissions, {@code user_id}); while a resource alarm
   * blocks AMQP publishers it is refused (503), where RabbitMQ's request would wait.
   */
  boolean publish(OutboundMessage m) {
    String blocked = alarm.blockReason();
    if (blocked != null) {
      throw ManagementException.unavailable(
          "resource alarm in effect (" + blocked + "): publishing is blocked until it clears");
    }
    VirtualHost vhost = vhostAdmin.vhost(m.vhost());
    Optional<User> user = access.user(m.user());
    BasicPublish method = new BasicPublish(0, m.exchange(), m.routingKey(), true, false);
    BasicProperties props = FieldValues.properties(m.properties());
    Message message;
    QueueTargets targets = new QueueTargets();
    try {
      Exchange exchange =
          vhost
              .exchanges()
              .lookup(m.exchange())
              .orElseThrow(
                  () -> refused(ReplyCode.NOT_FOUND, "no exchange '" + m.exchange() + "'", vhost));
      if (exchange.internal()) {
        throw refused(
            ReplyCode.ACCESS_REFUSED,
            "cannot publish to internal exchange '" + m.exchange() + "'",
            vhost);
      }
      Optional<Grants> grants = user.flatMap(u -> access.grants(u, vhost.name(), ""));
      if (grants.isPresent()) {
        AccessChecks.topicWrite(grants.get(), exchange, m.routingKey(), method);
      }
      String userId = props.userId();
      if (userId != null
          && !userId.equals(m.user())
          && !user.map(u -> u.hasTag(User.IMPERSONATOR)).orElse(false)) {
        throw new ChannelException(
            ReplyCode.PRECONDITION_FAILED,
            "user_id property set to '"
                + userId
                + "' but authenticated user was '"
                + m.user()
                + "'",
            method.classId(),
            method.methodId());
      }
      if (m.body().length > maxMessageSize) {
        throw new ChannelException(
            ReplyCode.PRECONDITION_FAILED,
            "message size "
                + m.body().length
                + " is larger than configured max size "
                + maxMessageSize,
            method.classId(),
            method.methodId());
      }
      long expiration = PublishedProperties.expirationMillis(props, method);
      List<String> keys = PublishedProperties.routingKeys(m.routingKey(), props, method);
      vhost
          .exchanges()
          .route(
              m.exchange(),
              keys,
              props::headers,
              () -> HashProperties.of(props.messageId(), props.correlationId(), props.timestamp()),
              targets.routeInto());
      targets.resolve(vhost);
      message = message(m, withoutBcc(props), expiration, vhost);
    } catch (AmqpException e) {
      throw Outcomes.channelRefusal(e);
    }
    int reached = targets.size();
    if (reached == 0) {
      message.release();
      return false;
    }
    CompletableFuture<Boolean> safe = new CompletableFuture<>();
    targets.publish(message, Confirmation.allOf(reached, safe::complete), () -> {});
    message.release();
    if (!Outcomes.await(safe)) {
      throw ManagementException.badRequest("rejected");
    }
    return true;
  }

  private static ChannelException refused(ReplyCode code, String what, VirtualHost vhost) {
    return new ChannelException(
        code,
        what + " in vhost '" + vhost.name() + "'",
        BasicPublish.CLASS_ID,
        BasicPublish.METHOD_ID);
  }

  /** BCC routes, and is removed before the message is stored, as for basic.publish. */
  private static BasicProperties withoutBcc(BasicProperties props) {
    if (props.headers() == null || !props.headers().containsKey("BCC")) {
      return props;
    }
    Map<String, Object> headers = new LinkedHashMap<>(props.headers());
    headers.remove("BCC");
    return props.withHeaders(headers);
  }

  /** A message as the channel makes one: its properties encoded, its body in a pooled buffer. */
  private static Message message(
      OutboundMessage m, BasicProperties props, long expiration, VirtualHost vhost) {
    ByteBuf encoded = PooledByteBufAllocator.DEFAULT.buffer();
    ByteBuf body = PooledByteBufAllocator.DEFAULT.directBuffer(m.body().length);
    try {
      props.encode(encoded);
      body.writeBytes(m.body());
    } catch (RuntimeException e) {
      encoded.release();
      body.release();
      throw e;
    }
    Integer mode = props.deliveryMode();
    Integer priority = props.priority();
    return new Message(
        m.exchange(),
        m.routingKey(),
        encoded,
        body,
        mode != null && mode == 2,
        priority == null ? 0 : priority,
        expiration,
        vhost.ledger());
  }

  /**
   * Takes up to {@code count} messages as basic.get would on a channel of its own, then settles
   * them all as {@code mode} says: acked (taken no-ack), requeued to their places (flagged
   * redelivered), or rejected (dead-lettered where the queue says so). Settling after the last get
   * is what makes a requeueing get of several messages return different ones, as in RabbitMQ.
   */
  List<FetchedMessage> get(String vhost, String name, int count, AckMode mode, int truncate) {
    MessageQueue queue = queues.find(vhost, name);
    if (queue.definition().exclusive()) {
      throw Outcomes.channelRefusal(
          new ChannelException(
              ReplyCode.RESOURCE_LOCKED,
              QueueErrors.lockedText(name, vhost),
              BasicGet.CLASS_ID,
              BasicGet.METHOD_ID));
    }
    boolean noAck = mode == AckMode.ACK_REQUEUE_FALSE;
    List<FetchedMessage> fetched = new ArrayList<>();
    // Grown as messages come: the count asked for may be far more than the queue holds.
    long[] ids = new long[Math.max(0, Math.min(count, 64))];
    int taken = 0;
    try {
      while (taken < count) {
        Delivery d = Outcomes.await(queue.get(noAck));
        if (d == null) {
          break;
        }
        if (taken == ids.length) {
          ids = Arrays.copyOf(ids, ids.length * 2);
        }
        ids[taken++] = d.id();
        try {
          fetched.add(fetched(d, truncate));
        } finally {
          d.message().release();
        }
      }
    } finally {
      if (!noAck && taken > 0) {
        settle(queue, ids, taken, mode);
      }
    }
    return fetched;
  }

  private static void settle(MessageQueue queue, long[] ids, int taken, AckMode mode) {
    switch (mode) {
      case ACK_REQUEUE_TRUE, REJECT_REQUEUE_TRUE -> queue.reject(ids, taken, true);
      case REJECT_REQUEUE_FALSE -> queue.reject(ids, taken, false);
      case ACK_REQUEUE_FALSE -> queue.ack(ids, taken);
    }
  }

  private static FetchedMessage fetched(Delivery d, int truncate) {
    Message m = d.message();
    ByteBuf body = m.body();
    int length = body.readableBytes();
    int kept = truncate >= 0 ? Math.min(truncate, length) : length;
    byte[] bytes = ByteBufUtil.getBytes(body, body.readerIndex(), kept);
    Map<String, Object> props =
        FieldValues.json(BasicProperties.decode(m.properties().duplicate()));
    if (d.deliveryCount() > 0 && QueueType.countsDeliveries(d.queue())) {
      Map<String, Object> headers = new LinkedHashMap<>();
      if (props.get("headers") instanceof Map<?, ?> had) {
        had.forEach((k, v) -> headers.put(String.valueOf(k), v));
      }
      headers.put("x-delivery-count", (long) d.deliveryCount());
      props.put("headers", headers);
    }
    return new FetchedMessage(
        bytes, length, d.redelivered(), m.exchange(), m.routingKey(), d.messageCount(), props);
  }
}
