package dev.warren.persistence.definitions;

import java.util.Objects;

/** Deletes a runtime parameter; deleting a missing one changes nothing. */
public record DeleteParameter(String component, String vhost, String name)
    implements DefinitionCommand {

  public DeleteParameter {
    Objects.requireNonNull(component, "component");
    Objects.requireNonNull(vhost, "vhost");
    Objects.requireNonNull(name, "name");
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.deleteParameter(this);
  }
}
