package dev.warren.persistence.journal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * File names, the segment header and the segment summary (README, "Files").
 *
 * <pre>
 * segment header (28 bytes), then records:
 *  0       4         8              16                     24       28
 *  +-------+---------+--------------+----------------------+--------+
 *  | WJNL  | version | segment id   | highest message id   | crc32c |
 *  +-------+---------+--------------+----------------------+--------+
 *  highest message id: the highest id appended before this segment was created.
 *
 * summary of a sealed segment (the checkpoint), written once when the segment is sealed:
 *  0       4         8              16                24      28         28+34n   32+34n
 *  +-------+---------+--------------+-----------------+-------+----------+--------+
 *  | WJSM  | version | segment id   | segment length  | count | entries  | crc32c |
 *  +-------+---------+--------------+-----------------+-------+----------+--------+
 *  entry (34 bytes): offset (8) | length (4) | crc32c (4) | type (1) | flags (1)
 *                    | queue id (8) | message id (8)
 * </pre>
 */
final class SegmentFormat {

  static final int HEADER = 28;
  private static final int SEGMENT_MAGIC = 0x574A4E4C;
  private static final int SUMMARY_MAGIC = 0x574A534D;
  private static final int VERSION = 1;
  private static final int SUMMARY_HEADER = 28;
  private static final int ENTRY = 34;
  static final String SEGMENT_SUFFIX = ".seg";
  static final String SUMMARY_SUFFIX = ".sum";

  /**
   * A file that exists only while the journal is closed after a clean close: every record the
   * journal was given reached the files. Deleted at open.
   */
  static final String CLEAN_MARKER = "clean-shutdown";

  private SegmentFormat() {}

  static String segmentName(long id) {
    return String.format("%020d%s", id, SEGMENT_SUFFIX);
  }

  static String summaryName(long id) {
    return String.format("%020d%s", id, SUMMARY_SUFFIX);
  }

  /** The id in a segment or summary file name, or -1 if the name is not one of ours. */
  static long idOf(String name, String suffix) {
    if (!name.endsWith(suffix) || name.length() != 20 + suffix.length()) {
      return -1;
    }
    try {
      return Long.parseLong(name.substring(0, 20));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static ByteBuffer header(long segmentId, long highestMessageId) {
    ByteBuffer b = ByteBuffer.allocate(HEADER);
    b.putInt(SEGMENT_MAGIC).putInt(VERSION).putLong(segmentId).putLong(highestMessageId);
    b.putInt(crc(b.array(), 0, HEADER - 4));
    return b.flip();
  }

  /** The highest message id in a valid header of segment {@code segmentId}, else null. */
  static Long readHeader(ByteBuffer b, long segmentId) {
    if (b.remaining() < HEADER
        || b.getInt(0) != SEGMENT_MAGIC
        || b.getInt(4) != VERSION
        || b.getLong(8) != segmentId) {
      return null;
    }
    byte[] bytes = new byte[HEADER];
    b.duplicate().get(bytes);
    return crc(bytes, 0, HEADER - 4) == b.getInt(HEADER - 4) ? b.getLong(16) : null;
  }

  static ByteBuffer summary(long segmentId, long segmentLength, List<RecordMeta> records) {
    Summary summary = new Summary();
    records.forEach(summary::add);
    return summary.finish(segmentId, segmentLength);
  }

  /**
   * The summary of a segment, built as its records are appended: each record takes its 34 bytes of
   * summary form, not an object, since a segment of small messages holds over a million records.
   */
  static final class Summary {
    private ByteBuffer b = ByteBuffer.allocate(SUMMARY_HEADER + ENTRY * 64);
    private int count;

    Summary() {
      b.position(SUMMARY_HEADER);
    }

    int count() {
      return count;
    }

    void add(RecordMeta r) {
      room(ENTRY);
      b.putLong(r.offset()).putInt(r.length()).putInt(r.crc()).put(r.type().code).put(r.flags());
      b.putLong(r.queueId()).putLong(r.messageId());
      count++;
    }

    /** The summary file's bytes, for a segment of {@code segmentLength} bytes. */
    ByteBuffer finish(long segmentId, long segmentLength) {
      room(4);
      b.putInt(0, SUMMARY_MAGIC).putInt(4, VERSION).putLong(8, segmentId);
      b.putLong(16, segmentLength).putInt(24, count);
      b.putInt(crc(b.array(), 0, b.position()));
      return ByteBuffer.wrap(b.array(), 0, b.position());
    }

    private void room(int bytes) {
      if (b.remaining() < bytes) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(b.capacity() * 2, b.position() + bytes));
        bigger.put(b.flip());
        b = bigger;
      }
    }
  }

  /**
   * The records listed by a summary, or null if it is not a valid summary of segment {@code
   * segmentId} whose file is {@code segmentLength} bytes long.
   */
  static List<RecordMeta> readSummary(byte[] bytes, long segmentId, long segmentLength) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    if (bytes.length < SUMMARY_HEADER + 4
        || b.getInt(0) != SUMMARY_MAGIC
        || b.getInt(4) != VERSION
        || b.getLong(8) != segmentId
        || b.getLong(16) != segmentLength) {
      return null;
    }
    int count = b.getInt(24);
    if (count < 0 || (long) SUMMARY_HEADER + (long) ENTRY * count + 4 != bytes.length) {
      return null;
    }
    if (crc(bytes, 0, bytes.length - 4) != b.getInt(bytes.length - 4)) {
      return null;
    }
    List<RecordMeta> records = new ArrayList<>(count);
    b.position(SUMMARY_HEADER);
    for (int i = 0; i < count; i++) {
      long offset = b.getLong();
      int length = b.getInt();
      int crc = b.getInt();
      RecordType type = RecordType.of(b.get());
      byte flags = b.get();
      long queueId = b.getLong();
      long messageId = b.getLong();
      if (type == null) {
        return null;
      }
      records.add(new RecordMeta(segmentId, offset, length, crc, type, queueId, messageId, flags));
    }
    return records;
  }

  private static int crc(byte[] bytes, int from, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, from, length);
    return (int) crc.getValue();
  }
}
