package dev.warren.management.spi;

import java.util.Map;

/**
 * A queue: its definition, the policies in force and its figures.
 *
 * @param type {@code classic} or {@code quorum}
 * @param arguments declare arguments, JSON-like
 * @param policy the applied policy's name, or null
 * @param operatorPolicy the applied operator policy's name, or null
 * @param effectivePolicyDefinition the policy keys in force, JSON-like
 * @param ownerConnection for an exclusive queue, the {@link ConnectionInfo#name()} that owns it;
 *     otherwise null
 * @param exclusiveConsumerTag the tag of the exclusive consumer, or null
 * @param singleActiveConsumerTag the tag of the active consumer under single active consumer, or
 *     null
 * @param state {@code running}, or another state word ({@code down}, {@code stopped})
 * @param replicas a quorum queue's leader, members and online members; null for other queues
 */
public record QueueInfo(
    String vhost,
    String name,
    String type,
    boolean durable,
    boolean autoDelete,
    boolean exclusive,
    Map<String, Object> arguments,
    String policy,
    String operatorPolicy,
    Map<String, Object> effectivePolicyDefinition,
    String ownerConnection,
    String exclusiveConsumerTag,
    String singleActiveConsumerTag,
    String state,
    QueueFigures figures,
    QueueReplicas replicas) {

  public QueueInfo {
    arguments = Copies.map(arguments);
    effectivePolicyDefinition = Copies.map(effectivePolicyDefinition);
  }
}
