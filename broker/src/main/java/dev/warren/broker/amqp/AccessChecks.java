package dev.warren.broker.amqp;

import static dev.warren.broker.amqp.QueueErrors.accessRefused;

import dev.warren.amqp.method.Method;
import dev.warren.broker.access.Grants;
import dev.warren.routing.Exchange;
import dev.warren.routing.ExchangeType;

/**
 * RabbitMQ's permission checks of a channel's operations, as its access control guide lists them: a
 * denial is 403 ACCESS_REFUSED with RabbitMQ's text, closing the channel, before anything changes.
 * The default exchange is {@code amq.default} to permissions. Connection's event loop.
 */
public final class AccessChecks {
  /** The name the default exchange has in permission patterns and refusals. */
  static final String DEFAULT_EXCHANGE = "amq.default";

  private AccessChecks() {}

  static void configure(AmqpChannel channel, String kind, String name, Method m) {
    Grants grants = channel.connection().grants();
    if (!grants.mayConfigure(name)) {
      throw refused(grants, kind, name, m);
    }
  }

  static void write(AmqpChannel channel, String kind, String name, Method m) {
    Grants grants = channel.connection().grants();
    if (!grants.mayWrite(name)) {
      throw refused(grants, kind, name, m);
    }
  }

  static void read(AmqpChannel channel, String kind, String name, Method m) {
    Grants grants = channel.connection().grants();
    if (!grants.mayRead(name)) {
      throw refused(grants, kind, name, m);
    }
  }

  /** Write on an exchange by name, the default exchange as {@code amq.default}. */
  static void writeExchange(AmqpChannel channel, String exchange, Method m) {
    write(channel, "exchange", exchange.isEmpty() ? DEFAULT_EXCHANGE : exchange, m);
  }

  /** A publish with this routing key to a topic exchange: its topic permission's write pattern. */
  static void topicWrite(AmqpChannel channel, Exchange exchange, String routingKey, Method m) {
    topicWrite(channel.connection().grants(), exchange, routingKey, m);
  }

  /** As a channel's publish checks it, for a publish of the management API. */
  public static void topicWrite(Grants grants, Exchange exchange, String routingKey, Method m) {
    if (exchange.type() == ExchangeType.TOPIC
        && !grants.mayWriteTopic(exchange.name(), routingKey)) {
      throw topicRefused(grants, exchange, routingKey, m);
    }
  }

  /** A bind with this routing key from a topic exchange: its topic permission's read pattern. */
  static void topicRead(AmqpChannel channel, Exchange exchange, String routingKey, Method m) {
    Grants grants = channel.connection().grants();
    if (exchange.type() == ExchangeType.TOPIC
        && !grants.mayReadTopic(exchange.name(), routingKey)) {
      throw topicRefused(grants, exchange, routingKey, m);
    }
  }

  private static RuntimeException refused(Grants grants, String kind, String name, Method m) {
    return accessRefused(
        "access to "
            + kind
            + " '"
            + name
            + "' in vhost '"
            + grants.vhost()
            + "' refused for user '"
            + grants.user().name()
            + "'",
        m);
  }

  private static RuntimeException topicRefused(
      Grants grants, Exchange exchange, String routingKey, Method m) {
    return accessRefused(
        "access to topic '"
            + routingKey
            + "' in exchange '"
            + exchange.name()
            + "' in vhost '"
            + grants.vhost()
            + "' refused for user '"
            + grants.user().name()
            + "'",
        m);
  }
}
