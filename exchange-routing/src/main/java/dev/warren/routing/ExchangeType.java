package dev.warren.routing;

import java.util.Optional;

/**
 * The exchange types: the four of AMQP 0-9-1 and RabbitMQ's consistent-hash exchange (plugin
 * rabbitmq_consistent_hash_exchange), with the names used on the wire in exchange.declare.
 */
public enum ExchangeType {
  DIRECT("direct"),
  FANOUT("fanout"),
  TOPIC("topic"),
  HEADERS("headers"),
  /** Each message to one destination, chosen on a hash ring by weight; see {@link Exchange}. */
  X_CONSISTENT_HASH("x-consistent-hash");

  private final String wireName;

  ExchangeType(String wireName) {
    this.wireName = wireName;
  }

  /** The name in exchange.declare's {@code type} field, e.g. {@code "topic"}. */
  public String wireName() {
    return wireName;
  }

  /**
   * The type with this wire name, compared case-sensitively as RabbitMQ does; empty for an unknown
   * name (RabbitMQ answers COMMAND_INVALID, 503).
   */
  public static Optional<ExchangeType> named(String name) {
    for (ExchangeType t : values()) {
      if (t.wireName.equals(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
