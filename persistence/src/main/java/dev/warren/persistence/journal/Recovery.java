package dev.warren.persistence.journal;

import dev.warren.storage.MessageRuns;
import java.util.Map;

/**
 * What the journal held when it was opened.
 *
 * @param queues per queue id, its live messages in message-id order; queues with no live message
 *     are absent
 * @param failedQueues queues that must not be started: a record of theirs inside a sealed segment
 *     is corrupt (the exception names the file and offset). Their messages are kept on disk.
 * @param highestMessageId the highest message id ever appended (from the newest segment's header
 *     and records): a broker seeds its message-id counter above it, because message ids must never
 *     be reused
 * @param truncatedBytes how many bytes of torn tail were cut from the last segment
 * @param cleanShutdown the journal was closed cleanly last time, so every DELIVERED record it was
 *     given is on disk; after a crash, a delivery may have left before its record was written
 * @param spilledDropped how many spilled messages the last run left, which this open dropped
 *     (spilled messages are never recovered)
 */
public record Recovery(
    Map<Long, MessageRuns> queues,
    Map<Long, JournalCorruptionException> failedQueues,
    long highestMessageId,
    long truncatedBytes,
    boolean cleanShutdown,
    long spilledDropped) {}
