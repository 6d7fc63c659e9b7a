package dev.warren.broker.amqp;

import dev.warren.amqp.ChannelException;
import dev.warren.amqp.Command;
import dev.warren.amqp.ConnectionException;
import dev.warren.amqp.ContentHeader;
import dev.warren.amqp.ReplyCode;
import dev.warren.amqp.method.AmqpClass;
import dev.warren.amqp.method.BasicCancel;
import dev.warren.amqp.method.BasicCancelOk;
import dev.warren.amqp.method.BasicConsume;
import dev.warren.amqp.method.BasicConsumeOk;
import dev.warren.amqp.method.BasicDeliver;
import dev.warren.amqp.method.BasicGet;
import dev.warren.amqp.method.BasicGetEmpty;
import dev.warren.amqp.method.BasicGetOk;
import dev.warren.amqp.method.BasicQos;
import dev.warren.amqp.method.BasicQosOk;
import dev.warren.amqp.method.Method;
import dev.warren.broker.stats.ConsumerView;
import dev.warren.broker.vhost.Firehose;
import dev.warren.broker.vhost.QueueType;
import dev.warren.queue.Credit;
import dev.warren.queue.Delivery;
import dev.warren.queue.Message;
import dev.warren.queue.MessageQueue;
import io.netty.buffer.ByteBuf;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The consuming half of the basic class: qos, consume, cancel, get, and the writing of deliveries.
 * Thread: the channel's (connection's event loop).
 */
final class ConsumerMethods {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final AmqpChannel channel;
  private final Acks acks;

  /** In the order of basic.consume, which {@link #resumeAll} takes turns in. */
  private final Map<String, ChannelConsumer> byTag = new LinkedHashMap<>();

  private List<ConsumerView> views = List.of();

  private int resumeTurn;

  /** basic.qos global=true: one window shared by the channel's consumers (RabbitMQ 3.x). */
  private final Credit channelCredit = new Credit(0);

  private int consumerPrefetch;
  private int globalPrefetch;
  private DirectReplyTo reply;

  ConsumerMethods(AmqpChannel channel, Acks acks) {
    this.channel = channel;
    this.acks = acks;
  }

  Credit channelCredit() {
    return channelCredit;
  }

  /** Consumers of the channel (RabbitMQ's consumer_count: a direct reply-to consumer is none). */
  int count() {
    return byTag.size();
  }

  /** The channel's consumers, as last changed; a new list at each consume or cancel. */
  List<ConsumerView> views() {
    return views;
  }

  /** A consumer came or went: the next snapshot of the channel lists the consumers now. */
  private void consumersChanged() {
    views = List.copyOf(byTag.values());
    channel.figures().changed();
  }

  /** basic.qos prefetch-count for each new consumer; 0: none. */
  int prefetch() {
    return consumerPrefetch;
  }

  /** basic.qos global prefetch-count; 0: none. */
  int globalPrefetch() {
    return globalPrefetch;
  }

  void handle(Method m) {
    if (m instanceof BasicQos q) {
      qos(q);
    } else if (m instanceof BasicConsume c) {
      consume(c);
    } else if (m instanceof BasicCancel c) {
      cancel(c);
    } else if (m instanceof BasicGet g) {
      get(g);
    } else {
      throw AmqpChannel.unexpected(m);
    }
  }

  private void qos(BasicQos q) {
    if (q.prefetchSize() != 0) {
      throw new ConnectionException(
          ReplyCode.NOT_IMPLEMENTED,
          "prefetch_size!=0 (" + q.prefetchSize() + ")",
          q.classId(),
          q.methodId());
    }
    if (q.global()) {
      globalPrefetch = q.prefetchCount();
      if (channelCredit.resize(q.prefetchCount())) {
        resumeAll();
      }
    } else {
      consumerPrefetch = q.prefetchCount();
    }
    channel.send(new BasicQosOk());
  }

  private void consume(BasicConsume c) {
    String tag = c.consumerTag().isEmpty() ? generatedTag() : c.consumerTag();
    if (byTag.containsKey(tag) || (reply != null && reply.consumerTag().equals(tag))) {
      throw new ConnectionException(
          ReplyCode.NOT_ALLOWED,
          "attempt to reuse consumer tag '" + tag + "'",
          c.classId(),
          c.methodId());
    }
    if (c.queue().equals(PublishedProperties.REPLY_TO_PSEUDO_QUEUE)) {
      consumeReplies(c, tag);
      return;
    }
    String queueName = channel.queues().queueName(c.queue(), c);
    AccessChecks.read(channel, "queue", queueName, c);
    MessageQueue queue = channel.queues().accessible(queueName, c);
    ChannelConsumer consumer =
        new ChannelConsumer(
            channel,
            queue,
            tag,
            c.noAck(),
            c.exclusive(),
            c.arguments(),
            priority(c, queue),
            consumerPrefetch,
            channelCredit);
    byTag.put(tag, consumer);
    consumersChanged();
    CompletableFuture<Void> added = new CompletableFuture<>();
    channel.await(
        added.whenComplete(
            (ok, failure) -> {
              if (failure == null && !c.noWait()) {
                channel.connection().outbox().execute(() -> sendConsumeOk(consumer));
              }
            }),
        ok -> {},
        c);
    queue.consume(consumer, c.exclusive(), added);
  }

  /** basic.consume of amq.rabbitmq.reply-to: no-ack only, one per channel (RabbitMQ). */
  private void consumeReplies(BasicConsume c, String tag) {
    if (!c.noAck()) {
      throw new ChannelException(
          ReplyCode.PRECONDITION_FAILED,
          "reply consumer cannot acknowledge",
          c.classId(),
          c.methodId());
    }
    if (reply != null) {
      throw new ChannelException(
          ReplyCode.PRECONDITION_FAILED, "reply consumer already set", c.classId(), c.methodId());
    }
    reply = DirectReplyTo.register(channel, tag);
    if (!c.noWait()) {
      channel.send(new BasicConsumeOk(tag));
    }
  }

  /** This channel's direct reply-to address, or null if it does not consume replies. */
  String replyAddress() {
    return reply == null ? null : reply.address();
  }

  /** A delivery tag for a delivery that needs no ack (direct reply-to). */
  long nextDeliveryTag() {
    return acks.nextTag();
  }

  private void sendConsumeOk(ChannelConsumer consumer) {
    if (channel.isOpen() && byTag.get(consumer.tag()) == consumer) {
      channel.send(new BasicConsumeOk(consumer.tag()));
    }
  }

  /**
   * The consumer's {@code x-priority}: any integer type, held to the int range; anything else (void
   * included) is 406 with RabbitMQ's text.
   */
  private int priority(BasicConsume c, MessageQueue queue) {
    Map<String, Object> args = c.arguments();
    if (args == null || !args.containsKey("x-priority")) {
      return 0;
    }
    Object value = args.get("x-priority");
    if (FieldTypes.isInteger(value)) {
      long n = ((Number) value).longValue();
      return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, n));
    }
    throw new ChannelException(
        ReplyCode.PRECONDITION_FAILED,
        "invalid arg 'x-priority' for queue '"
            + queue.name()
            + "' in vhost '"
            + channel.vhost().name()
            + "': \"expected integer, got "
            + FieldTypes.name(value)
            + "\"",
        c.classId(),
        c.methodId());
  }

  private static String generatedTag() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return "amq.ctag-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private void cancel(BasicCancel c) {
    if (reply != null && reply.consumerTag().equals(c.consumerTag())) {
      reply.unregister(channel.vhost());
      reply = null;
    }
    ChannelConsumer consumer = byTag.remove(c.consumerTag());
    if (consumer != null) {
      consumer.queue().cancel(consumer);
      consumersChanged();
    }
    if (!c.noWait()) {
      channel.send(new BasicCancelOk(c.consumerTag()));
    }
  }

  /** The queue went away under a consumer: tell the client if it listens (basic.cancel). */
  void cancelledByQueue(ChannelConsumer consumer) {
    boolean removed = byTag.remove(consumer.tag(), consumer);
    if (removed) {
      consumersChanged();
    }
    if (removed && channel.isOpen() && channel.connection().handshake().consumerCancelNotify()) {
      channel.send(new BasicCancel(consumer.tag(), true));
    }
  }

  private void get(BasicGet g) {
    String queueName = channel.queues().queueName(g.queue(), g);
    AccessChecks.read(channel, "queue", queueName, g);
    MessageQueue queue = channel.queues().accessible(queueName, g);
    channel.await(
        queue.get(g.noAck()),
        delivery -> {
          if (delivery == null) {
            channel.figures().getEmpty++;
            channel.send(new BasicGetEmpty(""));
            return;
          }
          long tag = acks.track(delivery, null, g.noAck());
          channel.figures().got(g.noAck(), delivery.redelivered());
          Message message = delivery.message();
          traced(queue.name(), message, delivery.redelivered());
          channel.send(
              content(
                  new BasicGetOk(
                      tag,
                      delivery.redelivered(),
                      message.exchange(),
                      message.routingKey(),
                      delivery.messageCount()),
                  message,
                  delivery));
          message.release();
        },
        delivery -> giveBack(delivery, g.noAck()),
        g);
  }

  /** A basic.get answer the closed channel can no longer take goes back to its queue. */
  private static void giveBack(Delivery delivery, boolean noAck) {
    if (!noAck) {
      delivery.queue().reject(new long[] {delivery.id()}, 1, true);
    }
    delivery.message().release();
  }

  /** Writes one delivery (connection thread), or gives it back if the consumer is gone. */
  void write(ChannelConsumer consumer, Delivery delivery) {
    channel.connection().flow().deliveryDone();
    Message message = delivery.message();
    if (!channel.isOpen() || byTag.get(consumer.tag()) != consumer) {
      if (!consumer.noAck()) {
        delivery.queue().reject(new long[] {delivery.id()}, 1, true);
        consumer.credit().release(1);
        if (channelCredit.release(1) && channel.isOpen()) {
          // The unit this delivery took may be what the channel's other consumers wait for.
          resumeAll();
        }
      }
      message.release();
      return;
    }
    long tag = acks.track(delivery, consumer, consumer.noAck());
    channel.figures().delivered(consumer.noAck(), delivery.redelivered());
    traced(consumer.queueName(), message, delivery.redelivered());
    channel.send(
        content(
            new BasicDeliver(
                consumer.tag(),
                tag,
                delivery.redelivered(),
                message.exchange(),
                message.routingKey()),
            message,
            delivery));
    message.release();
  }

  /** A delivery or get-ok goes out: the firehose copies it while the vhost is traced. */
  private void traced(String queue, Message message, boolean redelivered) {
    if (channel.vhost().tracing()) {
      Firehose.delivered(channel.vhost(), queue, message, redelivered, channel.tap());
    }
  }

  /** A command carrying a message: the buffers are retained duplicates, the encoder frees them. */
  Command content(Method method, Message message) {
    return content(method, message, message.properties().retainedDuplicate());
  }

  /**
   * A delivery from a queue. A redelivery from a queue that counts deliveries (a delivery limit, or
   * the quorum type) carries {@code x-delivery-count}, as RabbitMQ's quorum queues do.
   */
  private Command content(Method method, Message message, Delivery delivery) {
    ByteBuf properties = message.properties().retainedDuplicate();
    if (delivery.deliveryCount() > 0 && QueueType.countsDeliveries(delivery.queue())) {
      properties =
          PublishedProperties.withHeader(
              properties, "x-delivery-count", (long) delivery.deliveryCount());
    }
    return content(method, message, properties);
  }

  private Command content(Method method, Message message, ByteBuf properties) {
    return new Command(
        channel.number(),
        method,
        new ContentHeader(AmqpClass.BASIC, message.bodySize(), properties),
        message.body().retainedDuplicate());
  }

  /**
   * Credit came back on the channel's global window: every queue consumed may send again. Each time
   * a different consumer's queue is asked first, so that under a small window the queues take turns
   * (a queue on this event loop dispatches at once, and would otherwise take every unit returned).
   */
  void resumeAll() {
    List<ChannelConsumer> all = new ArrayList<>(byTag.values());
    int n = all.size();
    int first = n == 0 ? 0 : Math.floorMod(resumeTurn++, n);
    for (int i = 0; i < n; i++) {
      all.get((first + i) % n).queue().resume();
    }
  }

  /** The channel closes: its consumers take no more deliveries (before unacked ones go back). */
  void stopAll() {
    for (ChannelConsumer c : byTag.values()) {
      c.stop();
    }
  }

  void cancelAll() {
    if (reply != null) {
      reply.unregister(channel.vhost());
      reply = null;
    }
    for (ChannelConsumer c : new ArrayList<>(byTag.values())) {
      c.queue().cancel(c);
    }
    byTag.clear();
    consumersChanged();
  }
}
