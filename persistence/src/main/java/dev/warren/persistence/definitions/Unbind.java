package dev.warren.persistence.definitions;

import java.util.Objects;

/**
 * Removes a binding, identified by all its components. Removing a missing binding changes nothing.
 */
public record Unbind(BindingKey binding) implements DefinitionCommand {
  public Unbind {
    Objects.requireNonNull(binding, "binding");
  }

  public Unbind(
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
    return visitor.unbind(this);
  }
}
