package dev.warren.persistence.journal;

/**
 * One live message found by recovery.
 *
 * @param location its queue and message id (no position: read it by id, {@link Journal#read})
 * @param redelivered it had been delivered (a DELIVERED record was stored): deliver it with
 *     redelivered=true. {@link Recovery#queues()} gives the stored marks; {@link
 *     QueueJournal#recovered()} flags every message after an unclean shutdown.
 */
public record RecoveredMessage(Location location, boolean redelivered) {}
