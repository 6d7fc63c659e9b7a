package dev.warren.persistence.definitions;

import java.util.Objects;

/**
 * Creates a durable exchange or replaces its attributes. The virtual host must exist. {@code
 * arguments} is the exchange's AMQP field table, encoded by the broker.
 */
public record PutExchange(
    String vhost, String name, String type, boolean autoDelete, boolean internal, byte[] arguments)
    implements DefinitionCommand {

  public PutExchange {
    Objects.requireNonNull(vhost, "vhost");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    arguments = Bytes.copy(arguments, "arguments");
  }

  /** A copy of the encoded arguments. */
  @Override
  public byte[] arguments() {
    return arguments.clone();
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.putExchange(this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PutExchange other
        && vhost.equals(other.vhost)
        && name.equals(other.name)
        && type.equals(other.type)
        && autoDelete == other.autoDelete
        && internal == other.internal
        && Bytes.equal(arguments, other.arguments);
  }

  @Override
  public int hashCode() {
    return Objects.hash(vhost, name, type, autoDelete, internal, Bytes.hash(arguments));
  }

  @Override
  public String toString() {
    return "PutExchange[vhost=%s, name=%s, type=%s, autoDelete=%s, internal=%s, arguments=%s]"
        .formatted(vhost, name, type, autoDelete, internal, Bytes.hex(arguments));
  }
}
