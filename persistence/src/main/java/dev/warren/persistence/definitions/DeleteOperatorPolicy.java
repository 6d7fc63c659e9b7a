package dev.warren.persistence.definitions;

import java.util.Objects;

/** Deletes an operator policy; deleting a missing one changes nothing. */
public record DeleteOperatorPolicy(String vhost, String name) implements DefinitionCommand {

  public DeleteOperatorPolicy {
    Objects.requireNonNull(vhost, "vhost");
    Objects.requireNonNull(name, "name");
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.deleteOperatorPolicy(this);
  }
}
