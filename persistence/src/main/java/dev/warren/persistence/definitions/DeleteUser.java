package dev.warren.persistence.definitions;

import java.util.Objects;

/** Deletes a user and its permissions. Deleting a missing user changes nothing. */
public record DeleteUser(String name) implements DefinitionCommand {

  public DeleteUser {
    Objects.requireNonNull(name, "name");
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.deleteUser(this);
  }
}
