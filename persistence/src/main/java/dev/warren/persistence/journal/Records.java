package dev.warren.persistence.journal;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The record format (README, "Records"). All integers are big-endian.
 *
 * <pre>
 *  0        4        8      9                17               25     26        30
 *  +--------+--------+------+----------------+----------------+------+---------+-----------+------+
 *  | length | crc32c | type | queue id       | message id     |flags |props len| properties| body |
 *  +--------+--------+------+----------------+----------------+------+---------+-----------+------+
 *   ENQUEUE: everything; length = 22 + props len + body len
 *   ACK, DELIVERED, PURGE (message id = highest purged), DELETE_QUEUE (message id = 0):
 *   up to and including the message id; length = 17
 * </pre>
 *
 * {@code length} counts the bytes after the crc field; {@code crc32c} (Castagnoli) covers exactly
 * those bytes. A length below 17 or above the maximum record size, an unknown type, or a crc
 * mismatch make the record invalid.
 */
final class Records {

  /** Length and crc fields. */
  static final int FRAME_HEADER = 8;

  /** Type, queue id, message id. */
  static final int CONTROL_BODY = 17;

  static final int CONTROL_RECORD = FRAME_HEADER + CONTROL_BODY;

  /** Bytes of an ENQUEUE record before its properties. */
  static final int ENQUEUE_HEADER = FRAME_HEADER + CONTROL_BODY + 1 + 4;

  /** Offset of the flags byte in an ENQUEUE record. */
  static final int FLAGS_OFFSET = 25;

  /** ENQUEUE flag: the message had been delivered when this copy was written (by compaction). */
  static final byte FLAG_DELIVERED = 1;

  private Records() {}

  /**
   * The header of an ENQUEUE record, crc included. The crc is computed over the readable bytes of
   * {@code properties} and {@code body} without moving their indexes.
   */
  static ByteBuffer enqueueHeader(
      long queueId, long messageId, byte flags, ByteBuffer[] properties, ByteBuffer[] body) {
    long propsLength = remaining(properties);
    long bodyLength = remaining(body);
    long length = ENQUEUE_HEADER - FRAME_HEADER + propsLength + bodyLength;
    if (length > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("record too large: " + length);
    }
    ByteBuffer header = ByteBuffer.allocate(ENQUEUE_HEADER);
    header.putInt((int) length).putInt(0);
    header.put(RecordType.ENQUEUE.code).putLong(queueId).putLong(messageId);
    header.put(flags).putInt((int) propsLength);
    CRC32C crc = new CRC32C();
    crc.update(header.array(), FRAME_HEADER, ENQUEUE_HEADER - FRAME_HEADER);
    update(crc, properties);
    update(crc, body);
    header.putInt(4, (int) crc.getValue());
    return header.flip();
  }

  /** A complete ACK, DELIVERED, PURGE or DELETE_QUEUE record. */
  static ByteBuffer control(RecordType type, long queueId, long messageId) {
    ByteBuffer record = ByteBuffer.allocate(CONTROL_RECORD);
    record.putInt(CONTROL_BODY).putInt(0).put(type.code).putLong(queueId).putLong(messageId);
    CRC32C crc = new CRC32C();
    crc.update(record.array(), FRAME_HEADER, CONTROL_BODY);
    record.putInt(4, (int) crc.getValue());
    return record.flip();
  }

  /** The readable bytes of a buffer as NIO views that share its memory. */
  static ByteBuffer[] views(ByteBuf buf) {
    return buf.nioBuffers(buf.readerIndex(), buf.readableBytes());
  }

  static long remaining(ByteBuffer[] buffers) {
    long n = 0;
    for (ByteBuffer b : buffers) {
      n += b.remaining();
    }
    return n;
  }

  private static void update(CRC32C crc, ByteBuffer[] buffers) {
    for (ByteBuffer b : buffers) {
      crc.update(b.duplicate());
    }
  }

  /**
   * Decodes a whole record held in {@code record} from its position (length field first) to its
   * limit; returns null when it is invalid.
   */
  static RecordMeta decode(long segment, long offset, ByteBuffer record) {
    int start = record.position();
    if (record.remaining() < CONTROL_RECORD) {
      return null;
    }
    int length = record.getInt(start);
    if (length != record.remaining() - FRAME_HEADER) {
      return null;
    }
    int stored = record.getInt(start + 4);
    CRC32C crc = new CRC32C();
    crc.update(record.duplicate().position(start + FRAME_HEADER));
    if ((int) crc.getValue() != stored) {
      return null;
    }
    RecordType type = RecordType.of(record.get(start + FRAME_HEADER));
    if (type == null) {
      return null;
    }
    long queueId = record.getLong(start + 9);
    long messageId = record.getLong(start + 17);
    byte flags = 0;
    if (type == RecordType.ENQUEUE) {
      if (length < ENQUEUE_HEADER - FRAME_HEADER) {
        return null;
      }
      flags = record.get(start + FLAGS_OFFSET);
      int propsLength = record.getInt(start + FLAGS_OFFSET + 1);
      if (propsLength < 0 || propsLength > length - (ENQUEUE_HEADER - FRAME_HEADER)) {
        return null;
      }
    } else if (length != CONTROL_BODY) {
      return null;
    }
    return new RecordMeta(
        segment, offset, length + FRAME_HEADER, stored, type, queueId, messageId, flags);
  }

  /** Recomputes the crc of a whole record in {@code record} (position to limit) in place. */
  static void reseal(ByteBuffer record) {
    int start = record.position();
    CRC32C crc = new CRC32C();
    crc.update(record.duplicate().position(start + FRAME_HEADER));
    record.putInt(start + 4, (int) crc.getValue());
  }
}
