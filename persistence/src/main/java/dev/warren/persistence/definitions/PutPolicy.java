package dev.warren.persistence.definitions;

import java.util.Objects;

/**
 * Creates a policy or replaces it. The virtual host must exist. {@code applyTo} is RabbitMQ's
 * {@code apply-to} ({@code queues}, {@code exchanges}, {@code all}, …); {@code definition} is
 * opaque bytes chosen by the broker (the policy's key-value definition).
 */
public record PutPolicy(
    String vhost, String name, String pattern, String applyTo, int priority, byte[] definition)
    implements DefinitionCommand {

  public PutPolicy {
    Objects.requireNonNull(vhost, "vhost");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(applyTo, "applyTo");
    definition = Bytes.copy(definition, "definition");
  }

  /** A copy of the encoded definition. */
  @Override
  public byte[] definition() {
    return definition.clone();
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.putPolicy(this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PutPolicy other
        && vhost.equals(other.vhost)
        && name.equals(other.name)
        && pattern.equals(other.pattern)
        && applyTo.equals(other.applyTo)
        && priority == other.priority
        && Bytes.equal(definition, other.definition);
  }

  @Override
  public int hashCode() {
    return Objects.hash(vhost, name, pattern, applyTo, priority, Bytes.hash(definition));
  }

  @Override
  public String toString() {
    return "PutPolicy[vhost=%s, name=%s, pattern=%s, applyTo=%s, priority=%d, definition=%s]"
        .formatted(vhost, name, pattern, applyTo, priority, Bytes.hex(definition));
  }
}
