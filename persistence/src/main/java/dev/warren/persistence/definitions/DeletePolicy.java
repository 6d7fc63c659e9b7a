package dev.warren.persistence.definitions;

import java.util.Objects;

/** Deletes a policy; deleting a missing one changes nothing. */
public record DeletePolicy(String vhost, String name) implements DefinitionCommand {

  public DeletePolicy {
    Objects.requireNonNull(vhost, "vhost");
    Objects.requireNonNull(name, "name");
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.deletePolicy(this);
  }
}
