package dev.warren.management.spi;

import java.util.Map;

/**
 * A message taken from a queue by the API.
 *
 * @param body the payload, possibly cut to the requested truncation; {@code payloadBytes} is the
 *     whole length
 * @param messageCount messages left in the queue after this one
 * @param properties basic properties by RabbitMQ's JSON names, JSON-like
 */
public record FetchedMessage(
    byte[] body,
    long payloadBytes,
    boolean redelivered,
    String exchange,
    String routingKey,
    long messageCount,
    Map<String, Object> properties) {

  public FetchedMessage {
    properties = Copies.map(properties);
  }
}
