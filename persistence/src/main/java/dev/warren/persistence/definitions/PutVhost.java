package dev.warren.persistence.definitions;

import java.util.Objects;

/** Creates a virtual host; an existing one is left as it is. */
public record PutVhost(String name) implements DefinitionCommand {

  public PutVhost {
    Objects.requireNonNull(name, "name");
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.putVhost(this);
  }
}
