package dev.warren.persistence.definitions;

import java.util.Objects;

/**
 * Sets the permissions (three regular expressions, as in RabbitMQ) of a user in a virtual host,
 * replacing earlier ones. Both must exist.
 */
public record SetPermissions(String user, String vhost, String configure, String write, String read)
    implements DefinitionCommand {

  public SetPermissions {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(vhost, "vhost");
    Objects.requireNonNull(configure, "configure");
    Objects.requireNonNull(write, "write");
    Objects.requireNonNull(read, "read");
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.setPermissions(this);
  }
}
