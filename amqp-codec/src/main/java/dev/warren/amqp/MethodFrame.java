package dev.warren.amqp;

import dev.warren.amqp.method.Method;

/** A method frame (type 1): a decoded method, no buffers. Immutable. */
public record MethodFrame(int channel, Method method) implements Frame {}
