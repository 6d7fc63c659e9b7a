package dev.warren.persistence.definitions;

import java.util.Objects;

/**
 * Deletes an exchange and the bindings that have it as source or as destination. Deleting a missing
 * exchange changes nothing.
 */
public record DeleteExchange(String vhost, String name) implements DefinitionCommand {

  public DeleteExchange {
    Objects.requireNonNull(vhost, "vhost");
    Objects.requireNonNull(name, "name");
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.deleteExchange(this);
  }
}
