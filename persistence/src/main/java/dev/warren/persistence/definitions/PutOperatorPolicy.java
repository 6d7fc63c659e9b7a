package dev.warren.persistence.definitions;

import java.util.Objects;

/**
 * Creates an operator policy or replaces it: RabbitMQ's {@code operator_policy}, which caps what
 * users' policies and queue arguments ask for. The virtual host must exist. Fields as in {@link
 * PutPolicy}; a policy and an operator policy may share a name.
 */
public record PutOperatorPolicy(
    String vhost, String name, String pattern, String applyTo, int priority, byte[] definition)
    implements DefinitionCommand {

  public PutOperatorPolicy {
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
    return visitor.putOperatorPolicy(this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PutOperatorPolicy other
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
    return ("PutOperatorPolicy[vhost=%s, name=%s, pattern=%s, applyTo=%s, priority=%d,"
            + " definition=%s]")
        .formatted(vhost, name, pattern, applyTo, priority, Bytes.hex(definition));
  }
}
