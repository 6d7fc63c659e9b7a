package dev.warren.queue;

/** A queue's counts as queue.declare-ok reports them: ready messages and consumers. */
public record QueueCounts(int messageCount, int consumerCount) {}
