package dev.warren.persistence.definitions;

import java.util.List;
import java.util.Objects;

/**
 * Creates a virtual host, or replaces its metadata (RabbitMQ 3.8+'s description, tags and default
 * queue type; an empty default queue type means none set).
 */
public record PutVhost(String name, String description, List<String> tags, String defaultQueueType)
    implements DefinitionCommand {

  public PutVhost {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(defaultQueueType, "defaultQueueType");
    tags = List.copyOf(tags);
    for (String tag : tags) {
      if (tag.isEmpty() || tag.indexOf(',') >= 0) {
        throw new IllegalArgumentException("vhost tag must be non-empty, without commas: " + tag);
      }
    }
  }

  /** A virtual host with no metadata. */
  public PutVhost(String name) {
    this(name, "", List.of(), "");
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.putVhost(this);
  }
}
