package dev.warren.persistence.journal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a segment file record by record, checking every crc. Used by recovery (for segments without
 * a valid summary, and always for the last one) and by compaction. Owner: the calling thread; no
 * state between calls.
 */
final class SegmentScanner {

  private static final int WINDOW = 1 << 20;

  /**
   * The result of a scan.
   *
   * @param highestMessageId from the header, or null when the header is missing or invalid
   * @param validEnd the end of the last valid record (or of the header)
   * @param size the file's size; {@code validEnd < size} means an invalid record at validEnd
   */
  record Result(Long highestMessageId, List<RecordMeta> records, long validEnd, long size) {
    boolean clean() {
      return highestMessageId != null && validEnd == size;
    }
  }

  private SegmentScanner() {}

  static Result scan(SegmentFile file, long segmentId) throws IOException {
    long size = file.size();
    List<RecordMeta> records = new ArrayList<>();
    if (size < SegmentFormat.HEADER) {
      return new Result(null, records, 0, size);
    }
    ByteBuffer header = ByteBuffer.allocate(SegmentFormat.HEADER);
    readFully(file, header, 0);
    Long highest = SegmentFormat.readHeader(header.flip(), segmentId);
    if (highest == null) {
      return new Result(null, records, 0, size);
    }
    ByteBuffer window = ByteBuffer.allocate(WINDOW);
    long windowStart = 0;
    window.limit(0);
    long pos = SegmentFormat.HEADER;
    while (pos < size) {
      if (size - pos < Records.CONTROL_RECORD) {
        break;
      }
      if (pos < windowStart || pos + Records.FRAME_HEADER > windowStart + window.limit()) {
        windowStart = pos;
        fill(file, window, pos, size);
      }
      int length = window.getInt((int) (pos - windowStart));
      if (length < Records.CONTROL_BODY || length > size - pos - Records.FRAME_HEADER) {
        break;
      }
      int total = length + Records.FRAME_HEADER;
      ByteBuffer record;
      if (total > window.capacity()) {
        record = ByteBuffer.allocate(total);
        readFully(file, record, pos);
        record.flip();
      } else {
        if (pos + total > windowStart + window.limit()) {
          windowStart = pos;
          fill(file, window, pos, size);
        }
        int at = (int) (pos - windowStart);
        record = window.duplicate().limit(at + total).position(at);
      }
      RecordMeta meta = Records.decode(segmentId, pos, record);
      if (meta == null) {
        break;
      }
      records.add(meta);
      pos += total;
    }
    return new Result(highest, records, pos, size);
  }

  private static void fill(SegmentFile file, ByteBuffer window, long pos, long size)
      throws IOException {
    window.clear();
    window.limit((int) Math.min(window.capacity(), size - pos));
    readFully(file, window, pos);
    window.flip();
  }

  static void readFully(SegmentFile file, ByteBuffer dst, long position) throws IOException {
    long at = position;
    while (dst.hasRemaining()) {
      int n = file.read(dst, at);
      if (n < 0) {
        throw new EOFException(file.name() + " ends before " + (at + dst.remaining()));
      }
      at += n;
    }
  }
}
