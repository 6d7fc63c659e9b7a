package dev.warren.broker.vhost;

import java.util.List;
import java.util.Objects;

/**
 * What RabbitMQ 3.8+ keeps about a virtual host besides its name, as the definitions store keeps it
 * ({@code PutVhost}): a description, tags, and the default queue type (empty when none is set).
 * Immutable.
 */
public record VhostMetadata(String description, List<String> tags, String defaultQueueType) {

  /** A virtual host created with nothing but its name. */
  public static final VhostMetadata NONE = new VhostMetadata("", List.of(), "");

  public VhostMetadata {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(defaultQueueType, "defaultQueueType");
    tags = List.copyOf(tags);
  }
}
