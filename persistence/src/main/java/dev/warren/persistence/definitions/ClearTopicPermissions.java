package dev.warren.persistence.definitions;

import java.util.Objects;

/**
 * Removes a user's topic permissions in a virtual host: on one exchange, or on every exchange when
 * {@code exchange} is empty. Clearing missing permissions changes nothing.
 */
public record ClearTopicPermissions(String user, String vhost, String exchange)
    implements DefinitionCommand {

  public ClearTopicPermissions {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(vhost, "vhost");
    Objects.requireNonNull(exchange, "exchange");
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.clearTopicPermissions(this);
  }
}
