package dev.warren.persistence.journal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads one message back for {@link Journal#read}. Runs on the caller's thread, concurrently with
 * the writer: a record is immutable once written, and when compaction moves a message while it is
 * being read (its old segment deleted under the reader), the read is retried at the new location.
 */
final class RecordReader {

  private static final int ATTEMPTS = 4;

  private final SegmentLog log;
  private final ByteBufAllocator allocator;

  RecordReader(SegmentLog log, ByteBufAllocator allocator) {
    this.log = log;
    this.allocator = allocator;
  }

  StoredMessage read(Location location) throws IOException {
    IOException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Location.Position at = location.position();
      if (at == null) {
        throw new IllegalStateException(location + " was never stored");
      }
      SegmentFile file = log.readable(at.segment());
      if (file == null) {
        if (location.position() != at) {
          continue;
        }
        throw new IOException(location + " is no longer in the journal");
      }
      ByteBuf record = allocator.buffer(at.length(), at.length());
      try {
        SegmentScanner.readFully(file, record.nioBuffer(0, at.length()), at.offset());
        record.writerIndex(at.length());
        StoredMessage message = decode(file, at, record, location);
        return message;
      } catch (JournalCorruptionException e) {
        throw e;
      } catch (IOException e) {
        last = e;
        if (location.position() == at) {
          throw e;
        }
      } finally {
        record.release();
      }
    }
    throw new IOException(location + " kept moving while being read", last);
  }

  private static StoredMessage decode(
      SegmentFile file, Location.Position at, ByteBuf record, Location location)
      throws JournalCorruptionException {
    ByteBuffer view = record.nioBuffer(0, at.length());
    RecordMeta meta = Records.decode(at.segment(), at.offset(), view);
    if (meta == null
        || meta.type() != RecordType.ENQUEUE
        || meta.queueId() != location.queueId()
        || meta.messageId() != location.messageId()) {
      throw new JournalCorruptionException(
          file.name(), at.offset(), "corrupt record of " + location);
    }
    int propsLength = record.getInt(Records.FLAGS_OFFSET + 1);
    int bodyStart = Records.ENQUEUE_HEADER + propsLength;
    ByteBuf properties = record.retainedSlice(Records.ENQUEUE_HEADER, propsLength);
    ByteBuf body = record.retainedSlice(bodyStart, at.length() - bodyStart);
    return new StoredMessage(location.queueId(), location.messageId(), properties, body);
  }
}
