package dev.warren.broker.vhost;

import dev.warren.queue.MessageQueue;
import java.util.Map;

/**
 * {@code x-queue-type}: how a queue keeps its messages. Streams are refused (406) when declared;
 * see {@code QueueArguments}.
 */
public enum QueueType {
  CLASSIC,
  /**
   * In a cluster, replicated in a queue group and served by its leader; on a single node, a durable
   * queue with the quorum queue's rules (delivery limit, arguments).
   */
  QUORUM;

  /**
   * Whether the queue's redeliveries carry {@code x-delivery-count}: it has a delivery limit, or is
   * of the quorum type (as RabbitMQ's quorum queues count deliveries).
   */
  public static boolean countsDeliveries(MessageQueue queue) {
    return queue.settings().deliveryLimit() >= 0 || of(queue.definition().arguments()) == QUORUM;
  }

  /** The type the arguments of a declaration ask for (classic when they say nothing). */
  public static QueueType of(Map<String, Object> arguments) {
    Object type = arguments.get("x-queue-type");
    return type != null && "quorum".equals(type.toString()) ? QUORUM : CLASSIC;
  }
}
