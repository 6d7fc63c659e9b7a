package dev.warren.storage;

import java.util.Map;

/**
 * A queue's log as {@link MessageLog#recover()} finds it.
 *
 * @param messages the live messages, in id order, with their redelivered flags
 * @param nextId the lowest id the queue may give a new message: above every id the log ever took
 * @param deliveryCounts by message id, the delivery count a message last came back to the queue
 *     with ({@link MessageLog#returned}), for those a log keeps one of; unmodifiable
 * @param deadLettering by message id, the reason code of a message that was being dead-lettered
 *     ({@link MessageLog#deadLettering}), for those a log keeps the mark of; unmodifiable
 */
public record RecoveredLog(
    MessageRuns messages,
    long nextId,
    Map<Long, Integer> deliveryCounts,
    Map<Long, Integer> deadLettering) {

  public RecoveredLog {
    deliveryCounts = Map.copyOf(deliveryCounts);
    deadLettering = Map.copyOf(deadLettering);
  }

  /** A log that keeps no delivery counts nor dead-letter marks (the node journal). */
  public RecoveredLog(MessageRuns messages, long nextId) {
    this(messages, nextId, Map.of(), Map.of());
  }

  /** The delivery count message {@code id} last came back with, 0 if none is kept. */
  public int deliveryCount(long id) {
    return deliveryCounts.getOrDefault(id, 0);
  }

  /** The reason code message {@code id} was being dead-lettered for, or -1. */
  public int deadLettering(long id) {
    return deadLettering.getOrDefault(id, -1);
  }
}
