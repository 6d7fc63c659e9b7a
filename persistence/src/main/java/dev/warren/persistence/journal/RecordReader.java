package dev.warren.persistence.journal;

import dev.warren.storage.StoredMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads messages back at the positions the writer resolved for them ({@link Op.Positions}). Runs on
 * the journal's reader thread, concurrently with the writer: a record is immutable once written,
 * but compaction may move a message and delete its old segment between the resolve and the read,
 * which {@link #read} reports as {@link Moved} so that the caller resolves again.
 */
final class RecordReader {

  /** A segment went away under the read: resolve the positions again. */
  static final class Moved extends Exception {
    private static final long serialVersionUID = 1L;

    Moved() {
      super(null, null, false, false);
    }
  }

  private final SegmentLog log;
  private final ByteBufAllocator allocator;

  RecordReader(SegmentLog log, ByteBufAllocator allocator) {
    this.log = log;
    this.allocator = allocator;
  }

  /**
   * Reads every message at its resolved position, in order; the caller owns the result. A message
   * no longer live (acked since the caller asked) reads as null. Fails with the first error: a
   * corrupt record (naming its file and offset) or an I/O error.
   */
  List<StoredMessage> read(Op.Positions at) throws IOException, Moved {
    List<StoredMessage> read = new ArrayList<>(at.messageIds().length);
    try {
      for (int i = 0; i < at.messageIds().length; i++) {
        read.add(at.length()[i] == 0 ? null : readOne(at, i));
      }
      return read;
    } catch (IOException | Moved | RuntimeException e) {
      for (StoredMessage m : read) {
        if (m != null) {
          m.release();
        }
      }
      throw e;
    }
  }

  private StoredMessage readOne(Op.Positions at, int i) throws IOException, Moved {
    Location message = Location.of(at.queueId(), at.messageIds()[i]);
    int length = at.length()[i];
    SegmentFile file = log.readable(at.segment()[i]);
    if (file == null) {
      throw new Moved();
    }
    ByteBuf record = allocator.buffer(length, length);
    try {
      try {
        SegmentScanner.readFully(file, record.nioBuffer(0, length), at.offset()[i]);
      } catch (IOException e) {
        if (log.readable(at.segment()[i]) == null) {
          throw new Moved(); // deleted (and closed) while being read
        }
        throw e;
      }
      record.writerIndex(length);
      return decode(file, at.segment()[i], at.offset()[i], record, message);
    } finally {
      record.release();
    }
  }

  private static StoredMessage decode(
      SegmentFile file, long segment, long offset, ByteBuf record, Location message)
      throws JournalCorruptionException {
    int length = record.readableBytes();
    ByteBuffer view = record.nioBuffer(0, length);
    RecordMeta meta = Records.decode(segment, offset, view);
    if (meta == null
        || meta.type() != RecordType.ENQUEUE
        || meta.queueId() != message.queueId()
        || meta.messageId() != message.messageId()) {
      throw new JournalCorruptionException(file.name(), offset, "corrupt record of " + message);
    }
    int propsLength = record.getInt(Records.FLAGS_OFFSET + 1);
    int bodyStart = Records.ENQUEUE_HEADER + propsLength;
    ByteBuf properties = record.retainedSlice(Records.ENQUEUE_HEADER, propsLength);
    ByteBuf body = record.retainedSlice(bodyStart, length - bodyStart);
    return new StoredMessage(message.messageId(), properties, body);
  }
}
