package dev.warren.persistence.definitions;

import java.util.Objects;

/**
 * Binds a destination to a source exchange. The source exchange and the destination must exist in
 * the virtual host (both are durable: RabbitMQ stores a binding only when both ends are). Binding
 * twice changes nothing.
 */
public record Bind(BindingKey binding) implements DefinitionCommand {
  public Bind {
    Objects.requireNonNull(binding, "binding");
  }

  public Bind(
      String vhost,
      String source,
      DestinationKind destinationKind,
      String destination,
      String routingKey,
      byte[] arguments) {
    this(new BindingKey(vhost, source, destinationKind, destination, routingKey, arguments));
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.bind(this);
  }
}
