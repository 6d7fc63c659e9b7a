package dev.warren.persistence.definitions;

import java.util.Objects;

/**
 * What identifies a binding: all its components, arguments included, so the broker must encode
 * equal argument tables to equal bytes (keys in a fixed order). Immutable; the argument bytes are
 * copied in and out and compared by content.
 */
public record BindingKey(
    String vhost,
    String source,
    DestinationKind destinationKind,
    String destination,
    String routingKey,
    byte[] arguments) {

  public BindingKey {
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
  public boolean equals(Object o) {
    return o instanceof BindingKey other
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
    return "BindingKey[vhost=%s, source=%s, destinationKind=%s, destination=%s, routingKey=%s, arguments=%s]"
        .formatted(vhost, source, destinationKind, destination, routingKey, Bytes.hex(arguments));
  }
}
