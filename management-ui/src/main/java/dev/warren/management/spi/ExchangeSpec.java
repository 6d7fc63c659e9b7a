package dev.warren.management.spi;

import java.util.Map;

/** An exchange to declare (as exchange.declare would). */
public record ExchangeSpec(
    String vhost,
    String name,
    String type,
    boolean durable,
    boolean autoDelete,
    boolean internal,
    Map<String, Object> arguments) {

  public ExchangeSpec {
    arguments = Copies.map(arguments);
  }
}
