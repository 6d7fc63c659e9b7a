package dev.warren.management.spi;

import java.util.List;
import java.util.Map;

/**
 * A virtual host.
 *
 * @param defaultQueueType {@code classic}, {@code quorum}, or {@code undefined} when unset
 * @param limits vhost limits by name ({@code max-connections}, {@code max-queues})
 * @param counters message counts of the vhost's channels since the vhost was created, including
 *     channels that have closed
 */
public record VhostInfo(
    String name,
    String description,
    List<String> tags,
    String defaultQueueType,
    boolean tracing,
    Map<String, Long> limits,
    MessageCounters counters) {

  public VhostInfo {
    tags = List.copyOf(tags);
    limits = Map.copyOf(limits);
  }
}
