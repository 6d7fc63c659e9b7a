package dev.warren.routing;

import java.util.Map;
import java.util.Objects;

/**
 * A binding from the exchange named {@code source} to a destination. Two bindings are the same
 * binding when source, destination, routing key and arguments are all equal, which makes queue.bind
 * idempotent. Arguments may hold {@code null} values (AMQP void); a {@code null} map means no
 * arguments. The map is copied and cannot be modified.
 */
public record Binding(
    String source, Destination destination, String routingKey, Map<String, Object> arguments) {

  public Binding {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(routingKey, "routingKey");
    arguments = FieldValues.immutableCopy(arguments);
  }

  /** A binding without arguments. */
  public Binding(String source, Destination destination, String routingKey) {
    this(source, destination, routingKey, Map.of());
  }
}
