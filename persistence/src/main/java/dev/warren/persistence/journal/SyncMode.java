package dev.warren.persistence.journal;

/** When the journal calls {@code force()}, and so what a completed enqueue future promises. */
public enum SyncMode {
  /**
   * Every batch holding an enqueue is forced before its futures complete: a completed future (a
   * publisher confirm) survives a power loss. Acks and delivered marks ride on the next force, or
   * are forced after the sync interval of idleness.
   */
  ALWAYS,
  /**
   * Batches are written at once and forced at most once per sync interval; futures complete after
   * the force that covers them, so a completed future still survives a power loss, but it may wait
   * up to one interval. Up to one interval of acks and delivered marks can be lost (those messages
   * come back, at least once).
   */
  INTERVAL,
  /**
   * Never forced except when a segment is sealed, compacted, or the journal closed; futures
   * complete after the write. A completed future survives the death of the process, not a power
   * loss: everything since the last sealed segment may be lost.
   */
  NEVER
}
