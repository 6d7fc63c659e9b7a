package dev.warren.persistence.definitions;

import java.util.Objects;

/**
 * Binds a destination to a source exchange. The source exchange and the destination must exist in
 * the virtual host (both are durable: RabbitMQ stores a binding only when both ends are). A binding
 * is identified by all its components, arguments included, so the broker must encode equal argument
 * tables to equal bytes (keys in a fixed order). Binding twice changes nothing.
 */
public record Bind(
    String vhost,
    String source,
    DestinationKind destinationKind,
    String destination,
    String routingKey,
    byte[] arguments)
    implements DefinitionCommand {

  public Bind {
    Objects.requireNonNull(vhost, "vhost");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destinationKind, "destinationKind");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(routingKey, "routingKey");
    arguments = Bytes.copy(arguments, "arguments");
  }

  /** A copy of the encoded arguments. */
  @Override
  public byte[] arguments() {
    return arguments.clone();
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.bind(this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bind other
        && vhost.equals(other.vhost)
        && source.equals(other.source)
        && destinationKind == other.destinationKind
        && destination.equals(other.destination)
        && routingKey.equals(other.routingKey)
        && Bytes.equal(arguments, other.arguments);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        vhost, source, destinationKind, destination, routingKey, Bytes.hash(arguments));
  }

  @Override
  public String toString() {
    return "Bind[vhost=%s, source=%s, destinationKind=%s, destination=%s, routingKey=%s, arguments=%s]"
        .formatted(vhost, source, destinationKind, destination, routingKey, Bytes.hex(arguments));
  }
}
