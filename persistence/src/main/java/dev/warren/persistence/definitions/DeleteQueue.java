package dev.warren.persistence.definitions;

import java.util.Objects;

/**
 * Deletes a durable queue and the bindings that have it as destination. Deleting a missing queue
 * changes nothing.
 */
public record DeleteQueue(String vhost, String name) implements DefinitionCommand {

  public DeleteQueue {
    Objects.requireNonNull(vhost, "vhost");
    Objects.requireNonNull(name, "name");
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.deleteQueue(this);
  }
}
