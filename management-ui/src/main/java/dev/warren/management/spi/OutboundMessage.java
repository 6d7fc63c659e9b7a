package dev.warren.management.spi;

import java.util.Map;

/**
 * A message to publish through the API.
 *
 * @param user the user publishing it (its {@code user_id} property must name this user, unless the
 *     user may impersonate; its topic permissions apply)
 * @param properties basic properties by RabbitMQ's JSON names ({@code delivery_mode}, {@code
 *     headers}, {@code content_type}, {@code priority}, {@code expiration}, ...), JSON-like
 * @param body the payload; the backend owns it from the call on
 */
public record OutboundMessage(
    String user,
    String vhost,
    String exchange,
    String routingKey,
    Map<String, Object> properties,
    byte[] body) {

  public OutboundMessage {
    properties = Copies.map(properties);
  }
}
