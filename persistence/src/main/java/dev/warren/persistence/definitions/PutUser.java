package dev.warren.persistence.definitions;

import java.util.List;
import java.util.Objects;

/**
 * Creates a user or replaces its password hash and tags. {@code passwordHash} is in RabbitMQ's
 * {@code rabbit_password_hashing_sha256} format (see {@link PasswordHash}), the salt inside it; an
 * empty hash means the user cannot log in with a password. Tags (e.g. {@code administrator}) may
 * not contain commas, as in RabbitMQ where they are given as a comma-separated list.
 */
public record PutUser(String name, String passwordHash, List<String> tags)
    implements DefinitionCommand {

  public PutUser {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(passwordHash, "passwordHash");
    tags = List.copyOf(tags);
    for (String tag : tags) {
      if (tag.isEmpty() || tag.indexOf(',') >= 0) {
        throw new IllegalArgumentException("user tag must be non-empty, without commas: " + tag);
      }
    }
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.putUser(this);
  }
}
