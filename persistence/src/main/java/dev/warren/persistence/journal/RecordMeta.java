package dev.warren.persistence.journal;

/**
 * What recovery and compaction need to know of one record without its properties and body.
 *
 * @param segment id of the segment holding the record
 * @param offset position of the record's first byte (its length field) in the segment file
 * @param length the whole record on disk: the 8-byte frame header plus type and payload
 * @param crc the record's CRC32C, as stored
 * @param messageId the message id; for PURGE the highest purged id; 0 for DELETE_QUEUE
 * @param flags ENQUEUE flags ({@link Records#FLAG_DELIVERED}); 0 for other types
 */
record RecordMeta(
    long segment,
    long offset,
    int length,
    int crc,
    RecordType type,
    long queueId,
    long messageId,
    byte flags) {

  boolean delivered() {
    return (flags & Records.FLAG_DELIVERED) != 0;
  }
}
