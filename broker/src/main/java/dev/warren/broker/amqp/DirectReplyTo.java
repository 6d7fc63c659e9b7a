package dev.warren.broker.amqp;

import dev.warren.amqp.method.BasicDeliver;
import dev.warren.broker.vhost.VirtualHost;
import dev.warren.queue.Message;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Direct reply-to (RabbitMQ's {@code amq.rabbitmq.reply-to}): a channel consuming the pseudo-queue
 * gets an address {@code amq.rabbitmq.reply-to.<key>}; messages published to the default exchange
 * with that routing key go straight to the channel, with no queue in between. Replies are no-ack
 * and are lost if the channel has gone, as in RabbitMQ. Thread: the channel's, except {@link
 * #accept}, which any publishing thread calls.
 */
final class DirectReplyTo {
  static final String PREFIX = PublishedProperties.REPLY_TO_PSEUDO_QUEUE + ".";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final AmqpChannel channel;
  private final String consumerTag;
  private final String address;

  private DirectReplyTo(AmqpChannel channel, String consumerTag) {
    byte[] key = new byte[18];
    RANDOM.nextBytes(key);
    this.channel = channel;
    this.consumerTag = consumerTag;
    this.address = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(key);
  }

  /** Whether {@code name} is the pseudo-queue or a reply address (consumed from or not). */
  static boolean isReplyQueue(String name) {
    return name.equals(PublishedProperties.REPLY_TO_PSEUDO_QUEUE) || name.startsWith(PREFIX);
  }

  /** Registers the channel's reply consumer in its vhost. */
  static DirectReplyTo register(AmqpChannel channel, String consumerTag) {
    DirectReplyTo reply = new DirectReplyTo(channel, consumerTag);
    channel.vhost().replySinks().put(reply.address, reply::accept);
    return reply;
  }

  String address() {
    return address;
  }

  String consumerTag() {
    return consumerTag;
  }

  void unregister(VirtualHost vhost) {
    vhost.replySinks().remove(address);
  }

  /** Takes ownership of {@code message}; delivered on the channel's event loop. */
  private void accept(Message message) {
    channel.connection().outbox().execute(() -> deliver(message));
  }

  private void deliver(Message message) {
    try {
      if (channel.isOpen()) {
        channel.send(
            channel
                .consumers()
                .content(
                    new BasicDeliver(
                        consumerTag,
                        channel.consumers().nextDeliveryTag(),
                        false,
                        message.exchange(),
                        message.routingKey()),
                    message));
      }
    } finally {
      message.release();
    }
  }
}
