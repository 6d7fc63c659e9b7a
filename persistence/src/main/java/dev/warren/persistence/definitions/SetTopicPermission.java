package dev.warren.persistence.definitions;

import java.util.Objects;

/**
 * Sets a user's topic permission on one topic exchange of a virtual host: RabbitMQ's write and read
 * patterns on routing keys, which may name the variables {@code {username}}, {@code {vhost}} and
 * {@code {client_id}}.
 */
public record SetTopicPermission(
    String user, String vhost, String exchange, String write, String read)
    implements DefinitionCommand {

  public SetTopicPermission {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(vhost, "vhost");
    Objects.requireNonNull(exchange, "exchange");
    Objects.requireNonNull(write, "write");
    Objects.requireNonNull(read, "read");
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.setTopicPermission(this);
  }
}
