package dev.warren.persistence.definitions;

import java.util.Objects;

/**
 * Creates a runtime parameter of a component (e.g. {@code federation-upstream}) in a virtual host
 * or replaces it. The virtual host must exist. {@code value} is opaque bytes chosen by the broker.
 */
public record PutParameter(String component, String vhost, String name, byte[] value)
    implements DefinitionCommand {

  public PutParameter {
    Objects.requireNonNull(component, "component");
    Objects.requireNonNull(vhost, "vhost");
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
    return visitor.putParameter(this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PutParameter other
        && component.equals(other.component)
        && vhost.equals(other.vhost)
        && name.equals(other.name)
        && Bytes.equal(value, other.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(component, vhost, name, Bytes.hash(value));
  }

  @Override
  public String toString() {
    return "PutParameter[component=%s, vhost=%s, name=%s, value=%s]"
        .formatted(component, vhost, name, Bytes.hex(value));
  }
}
