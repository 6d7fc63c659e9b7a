package dev.warren.management.spi;

import java.util.Map;

/**
 * A consumer on a queue.
 *
 * @param channelName the {@link ChannelInfo#name()} of its channel
 * @param activityStatus {@code up}, {@code single_active}, {@code waiting} (single active consumer)
 *     or {@code suspected_down}
 * @param arguments the basic.consume arguments, JSON-like
 */
public record ConsumerInfo(
    String vhost,
    String queue,
    String consumerTag,
    String channelName,
    boolean ackRequired,
    boolean exclusive,
    int prefetchCount,
    boolean active,
    String activityStatus,
    Map<String, Object> arguments) {

  public ConsumerInfo {
    arguments = Copies.map(arguments);
  }
}
