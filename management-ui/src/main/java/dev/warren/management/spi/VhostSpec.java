package dev.warren.management.spi;

import java.util.List;

/** A virtual host to create or update. */
public record VhostSpec(
    String name, String description, List<String> tags, String defaultQueueType, boolean tracing) {

  public VhostSpec {
    tags = List.copyOf(tags);
  }
}
