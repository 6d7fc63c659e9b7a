package dev.warren.persistence.journal;

/**
 * One live message found by recovery.
 *
 * @param location where it is; read it with {@link Journal#read(Location)}
 * @param redelivered it had been delivered (a DELIVERED record was stored): deliver it with
 *     redelivered=true
 */
public record RecoveredMessage(Location location, boolean redelivered) {}
