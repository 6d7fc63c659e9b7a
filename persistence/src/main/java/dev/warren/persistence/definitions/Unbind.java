package dev.warren.persistence.definitions;

import java.util.Objects;

/**
 * Removes a binding, identified by all its components. Removing a missing binding changes nothing.
 */
public record Unbind(
    String vhost,
    String source,
    DestinationKind destinationKind,
    String destination,
    String routingKey,
    byte[] arguments)
    implements DefinitionCommand {

  public Unbind {
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
    return visitor.unbind(this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Unbind other
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
    return "Unbind[vhost=%s, source=%s, destinationKind=%s, destination=%s, routingKey=%s, arguments=%s]"
        .formatted(vhost, source, destinationKind, destination, routingKey, Bytes.hex(arguments));
  }
}
