package dev.warren.management.spi;

import java.util.Map;

/**
 * A binding from an exchange ({@code source}, the empty string for the default exchange) to a queue
 * or an exchange.
 *
 * @param arguments binding arguments, JSON-like
 */
public record BindingInfo(
    String vhost,
    String source,
    String destination,
    DestinationType destinationType,
    String routingKey,
    Map<String, Object> arguments) {

  public BindingInfo {
    arguments = Copies.map(arguments);
  }

  /** What a binding leads to; {@link #word()} is RabbitMQ's JSON value. */
  public enum DestinationType {
    QUEUE("queue"),
    EXCHANGE("exchange");

    private final String word;

    DestinationType(String word) {
      this.word = word;
    }

    public String word() {
      return word;
    }
  }
}
