package dev.warren.queue;

import java.util.Map;

/**
 * What queue.declare fixes about a queue; two declarations are equivalent when these are equal.
 *
 * @param arguments the {@code x-} arguments, as declared
 */
public record QueueDefinition(
    String name,
    boolean durable,
    boolean exclusive,
    boolean autoDelete,
    Map<String, Object> arguments) {}
