package dev.warren.mirroring;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * Several {@link QueueGroupEntry}s in one entry of the group's Raft log: what the group's queues
 * submitted while earlier entries were on their way ({@link QueueGroup#submit}). One log entry
 * costs Ratis about the same whatever it holds (a client request, an append to every follower, an
 * apply, a reply), so a batch of a hundred costs about what one entry does. The state machine
 * applies the entries in their order and answers one byte per entry.
 *
 * <p>Format (version 1, big-endian): {@code u8 version = 1, u8 op = 255, i32 n, n x (i32 length,
 * length bytes: one entry)}. A log entry that is not a batch is one entry.
 */
final class QueueGroupBatch {
  /**
   * The op byte that marks a batch: one no {@link QueueGroupEntry.Op} takes (theirs count up from
   * 1). Session 11's first try used 7, which RETURNED took meanwhile: a return alone in a log entry
   * was read as a broken batch and skipped on every node.
   */
  static final int OP = 255;

  private QueueGroupBatch() {}

  /** The entries, in order, as one log entry; their bytes are copied once. */
  static ByteString of(List<ByteString> entries) {
    int size = 1 + 1 + 4;
    for (ByteString e : entries) {
      size += 4 + e.size();
    }
    byte[] bytes = new byte[size];
    ByteBuffer out = ByteBuffer.wrap(bytes);
    out.put((byte) QueueGroupEntry.VERSION).put((byte) OP).putInt(entries.size());
    for (ByteString e : entries) {
      out.putInt(e.size());
      e.copyTo(bytes, out.position());
      out.position(out.position() + e.size());
    }
    return UnsafeByteOperations.unsafeWrap(bytes);
  }

  /**
   * The entries a log entry holds: those of a batch, in order (sharing its bytes), or the entry
   * itself.
   *
   * @throws IllegalArgumentException if it is a batch this version cannot read
   */
  static List<ByteString> entries(ByteString data) {
    if (data.size() < 2
        || (data.byteAt(0) & 0xFF) != QueueGroupEntry.VERSION
        || (data.byteAt(1) & 0xFF) != OP) {
      return List.of(data);
    }
    try {
      // Sliced: positions count from the entry's first byte, also when it is part of a batch
      // (a substring, whose buffer starts where it does in the batch).
      ByteBuffer in = data.asReadOnlyByteBuffer().slice();
      in.position(2);
      int n = in.getInt();
      if (n < 0 || n > in.remaining() / 4) {
        throw new IllegalArgumentException(
            "batch of " + n + " entries in " + data.size() + " bytes");
      }
      List<ByteString> entries = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int length = in.getInt();
        int at = in.position();
        if (length < 0 || length > in.remaining()) {
          throw new IllegalArgumentException("batch entry " + i + " past the batch's end");
        }
        entries.add(data.substring(at, at + length));
        in.position(at + length);
      }
      if (in.hasRemaining()) {
        throw new IllegalArgumentException(in.remaining() + " bytes after the batch's entries");
      }
      return entries;
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("queue group batch truncated", e);
    }
  }
}
