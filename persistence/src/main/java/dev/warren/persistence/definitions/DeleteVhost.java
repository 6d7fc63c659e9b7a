package dev.warren.persistence.definitions;

import java.util.Objects;

/**
 * Deletes a virtual host and everything in it: permissions, exchanges, queues, bindings, policies
 * and parameters. Deleting a missing virtual host changes nothing.
 */
public record DeleteVhost(String name) implements DefinitionCommand {

  public DeleteVhost {
    Objects.requireNonNull(name, "name");
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.deleteVhost(this);
  }
}
