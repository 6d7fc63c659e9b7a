package dev.warren.storage;

/**
 * A queue's log as {@link MessageLog#recover()} finds it.
 *
 * @param messages the live messages, in id order, with their redelivered flags
 * @param nextId the lowest id the queue may give a new message: above every id the log ever took
 */
public record RecoveredLog(MessageRuns messages, long nextId) {}
