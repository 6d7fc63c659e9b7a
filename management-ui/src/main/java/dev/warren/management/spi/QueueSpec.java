package dev.warren.management.spi;

import java.util.Map;

/** A queue to declare (as queue.declare would, on no connection: never exclusive). */
public record QueueSpec(
    String vhost, String name, boolean durable, boolean autoDelete, Map<String, Object> arguments) {

  public QueueSpec {
    arguments = Copies.map(arguments);
  }
}
