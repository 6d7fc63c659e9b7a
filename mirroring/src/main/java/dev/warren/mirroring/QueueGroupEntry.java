package dev.warren.mirroring;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * One entry of a queue group's log: a change to the message log of one queue of the group. Every
 * value the state machine needs is in the entry (the leader's queue gives the message id); applying
 * it reads no clock.
 *
 * <p>Format (version 1, big-endian):
 *
 * <pre>
 * +---------+-------+----------+------------------------------------------------------+
 * | version | op    | queueId  | by op                                                |
 * | u8 = 1  | u8    | i64      |                                                      |
 * +---------+-------+----------+------------------------------------------------------+
 * op 1 APPEND     i64 messageId, i32 m, m bytes metadata, the rest: the body
 * op 2 DELIVERED  i64 messageId
 * op 3 ACK        i64 messageId
 * op 4 PURGE      (nothing)
 * op 5 DELETE     (nothing)
 * op 6 BARRIER    i64 token: the node that wrote it learns the queue's state as of the entry
 * op 7 RETURNED   i64 messageId, i32 deliveryCount: the message came back to the queue after
 *                 that many deliveries (what its delivery limit counts)
 * op 8 DEAD_LETTERING  i64 messageId, i32 reason: the message is being dead-lettered (the queue's
 *                 code for why); it stays until its ACK
 * </pre>
 *
 * Immutable; the byte strings share the entry's bytes (no copy).
 */
/**
 * @param deliveryCount a RETURNED entry's delivery count, a DEAD_LETTERING entry's reason; else 0
 */
record QueueGroupEntry(
    Op op, long queueId, long messageId, int deliveryCount, ByteString metadata, ByteString body) {

  static final int VERSION = 1;

  /** What an entry does to its queue's log. */
  enum Op {
    APPEND,
    DELIVERED,
    ACK,
    PURGE,
    DELETE,
    BARRIER,
    RETURNED,
    DEAD_LETTERING;

    int code() {
      return ordinal() + 1;
    }
  }

  private static final int HEADER = 1 + 1 + 8;

  /**
   * An append, as one array: the readable bytes of {@code metadata} and {@code body} are copied
   * once (the caller keeps its buffers).
   */
  static ByteString append(long queueId, long messageId, ByteBuf metadata, ByteBuf body) {
    int m = metadata.readableBytes();
    byte[] bytes = new byte[HEADER + 8 + 4 + m + body.readableBytes()];
    ByteBuffer out = header(bytes, Op.APPEND, queueId).putLong(messageId).putInt(m);
    metadata.getBytes(metadata.readerIndex(), bytes, out.position(), m);
    body.getBytes(body.readerIndex(), bytes, out.position() + m, body.readableBytes());
    return UnsafeByteOperations.unsafeWrap(bytes);
  }

  /** An entry that names a message (delivered, ack) or a token (barrier). */
  static ByteString of(Op op, long queueId, long value) {
    byte[] bytes = new byte[HEADER + 8];
    header(bytes, op, queueId).putLong(value);
    return UnsafeByteOperations.unsafeWrap(bytes);
  }

  /** A message came back to the queue after {@code deliveryCount} deliveries. */
  static ByteString returned(long queueId, long messageId, int deliveryCount) {
    return counted(Op.RETURNED, queueId, messageId, deliveryCount);
  }

  /** A message is being dead-lettered for {@code reason}. */
  static ByteString deadLettering(long queueId, long messageId, int reason) {
    return counted(Op.DEAD_LETTERING, queueId, messageId, reason);
  }

  /** An entry that names a message and a number (the record's {@code deliveryCount}). */
  private static ByteString counted(Op op, long queueId, long messageId, int value) {
    byte[] bytes = new byte[HEADER + 8 + 4];
    header(bytes, op, queueId).putLong(messageId).putInt(value);
    return UnsafeByteOperations.unsafeWrap(bytes);
  }

  /** An entry about the whole queue (purge, delete). */
  static ByteString of(Op op, long queueId) {
    byte[] bytes = new byte[HEADER];
    header(bytes, op, queueId);
    return UnsafeByteOperations.unsafeWrap(bytes);
  }

  private static ByteBuffer header(byte[] bytes, Op op, long queueId) {
    return ByteBuffer.wrap(bytes).put((byte) VERSION).put((byte) op.code()).putLong(queueId);
  }

  /**
   * Reads an entry.
   *
   * @throws IllegalArgumentException if it is not one this version writes
   */
  static QueueGroupEntry decode(ByteString data) {
    try {
      return read(data);
    } catch (java.nio.BufferUnderflowException e) {
      throw new IllegalArgumentException("queue group entry truncated", e);
    }
  }

  private static QueueGroupEntry read(ByteString data) {
    // Sliced: positions count from the entry's first byte, also when it is part of a batch
    // (a substring, whose buffer starts where it does in the batch).
    ByteBuffer in = data.asReadOnlyByteBuffer().slice();
    if (in.remaining() < HEADER || (in.get() & 0xFF) != VERSION) {
      throw new IllegalArgumentException("not a version-" + VERSION + " queue group entry");
    }
    int code = in.get() & 0xFF;
    if (code < 1 || code > Op.values().length) {
      throw new IllegalArgumentException("unknown queue group entry op " + code);
    }
    Op op = Op.values()[code - 1];
    long queueId = in.getLong();
    return switch (op) {
      case APPEND -> {
        long id = in.getLong();
        int m = in.getInt();
        int at = in.position();
        if (m < 0 || m > in.remaining()) {
          throw new IllegalArgumentException("metadata length " + m + " past the entry's end");
        }
        yield new QueueGroupEntry(
            op, queueId, id, 0, data.substring(at, at + m), data.substring(at + m));
      }
      case DELIVERED, ACK, BARRIER -> {
        if (in.remaining() != 8) {
          throw new IllegalArgumentException(op + " entry of " + data.size() + " bytes");
        }
        yield new QueueGroupEntry(op, queueId, in.getLong(), 0, null, null);
      }
      case RETURNED, DEAD_LETTERING -> {
        if (in.remaining() != 8 + 4) {
          throw new IllegalArgumentException(op + " entry of " + data.size() + " bytes");
        }
        yield new QueueGroupEntry(op, queueId, in.getLong(), in.getInt(), null, null);
      }
      case PURGE, DELETE -> {
        if (in.hasRemaining()) {
          throw new IllegalArgumentException(op + " entry of " + data.size() + " bytes");
        }
        yield new QueueGroupEntry(op, queueId, 0, 0, null, null);
      }
    };
  }
}
