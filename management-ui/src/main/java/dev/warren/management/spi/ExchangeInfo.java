package dev.warren.management.spi;

import java.util.Map;

/**
 * An exchange with its counters.
 *
 * @param name the empty string for the default exchange
 * @param arguments declare arguments, JSON-like
 * @param policy the name of the policy that applies, or null
 * @param publishIn messages published to the exchange
 * @param publishOut messages the exchange routed on (once per message routed)
 */
public record ExchangeInfo(
    String vhost,
    String name,
    String type,
    boolean durable,
    boolean autoDelete,
    boolean internal,
    Map<String, Object> arguments,
    String policy,
    long publishIn,
    long publishOut) {

  public ExchangeInfo {
    arguments = Copies.map(arguments);
  }
}
