package dev.warren.persistence.journal;

import dev.warren.storage.RecoveredLog;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/** A request from any thread to the journal writer thread. */
sealed interface Op {

  /**
   * Store a message. {@code parts} are the record's bytes: its header, then NIO views of {@code
   * properties} and {@code body}, which hold one reference each, taken for the journal and released
   * by the writer once the bytes are written (or the append failed).
   */
  record Enqueue(
      long queueId,
      long messageId,
      ByteBuffer[] parts,
      int crc,
      ByteBuf properties,
      ByteBuf body,
      CompletableFuture<Void> future)
      implements Op {}

  /** ACK, DELIVERED (with a message id), PURGE or DELETE_QUEUE (the writer fills in the bound). */
  record Control(RecordType type, long queueId, long messageId) implements Op {}

  /**
   * Find where the records of live messages of a queue are, for a read: {@code future} gets their
   * positions once everything submitted before is written (not necessarily forced).
   */
  record Resolve(long queueId, long[] messageIds, CompletableFuture<Positions> future)
      implements Op {}

  /**
   * Where records were when resolved: for message {@code i}, segment, offset and length; a length
   * of 0 means the message is not live.
   */
  record Positions(long queueId, long[] messageIds, int[] segment, int[] offset, int[] length) {}

  /**
   * The live messages of a queue as the index holds them now, and the next free message id: for
   * {@link dev.warren.storage.MessageLog#recover()}.
   */
  record Recover(long queueId, CompletableFuture<RecoveredLog> future) implements Op {}

  /** Complete {@code future} once everything submitted before is durable. */
  record Sync(CompletableFuture<Void> future) implements Op {}

  /** Write and force everything submitted before, close the files, stop the writer. */
  record Stop(CompletableFuture<Void> future) implements Op {}
}
