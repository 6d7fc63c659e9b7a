package dev.warren.persistence.definitions;

import java.util.Objects;

/**
 * Creates a global runtime parameter (RabbitMQ's {@code set_global_parameter}, e.g. {@code
 * cluster_name}) or replaces it. It belongs to no virtual host. {@code value} is opaque bytes
 * chosen by the broker.
 */
public record PutGlobalParameter(String name, byte[] value) implements DefinitionCommand {

  public PutGlobalParameter {
    Objects.requireNonNull(name, "name");
    value = Bytes.copy(value, "value");
  }

  /** A copy of the encoded value. */
  @Override
  public byte[] value() {
    return value.clone();
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.putGlobalParameter(this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PutGlobalParameter other
        && name.equals(other.name)
        && Bytes.equal(value, other.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, Bytes.hash(value));
  }

  @Override
  public String toString() {
    return "PutGlobalParameter[name=%s, value=%s]".formatted(name, Bytes.hex(value));
  }
}
