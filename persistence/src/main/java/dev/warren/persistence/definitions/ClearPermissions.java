package dev.warren.persistence.definitions;

import java.util.Objects;

/**
 * Removes the permissions of a user in a virtual host; clearing missing permissions changes
 * nothing.
 */
public record ClearPermissions(String user, String vhost) implements DefinitionCommand {

  public ClearPermissions {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(vhost, "vhost");
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.clearPermissions(this);
  }
}
