package dev.warren.broker.vhost;

import java.util.Map;

/**
 * {@code x-queue-type}: how a queue keeps its messages. Streams are refused (406) when declared;
 * see {@code QueueArguments}.
 */
public enum QueueType {
  CLASSIC,
  /** Replicated once the cluster exists; until then a durable classic queue. */
  QUORUM;

  /** The type the arguments of a declaration ask for (classic when they say nothing). */
  public static QueueType of(Map<String, Object> arguments) {
    Object type = arguments.get("x-queue-type");
    return type != null && "quorum".equals(type.toString()) ? QUORUM : CLASSIC;
  }
}
