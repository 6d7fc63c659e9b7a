package dev.warren.persistence.definitions;

import java.util.Objects;

/** Deletes a global runtime parameter; deleting a missing one changes nothing. */
public record DeleteGlobalParameter(String name) implements DefinitionCommand {

  public DeleteGlobalParameter {
    Objects.requireNonNull(name, "name");
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.deleteGlobalParameter(this);
  }
}
