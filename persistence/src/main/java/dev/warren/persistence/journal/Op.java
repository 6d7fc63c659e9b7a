package dev.warren.persistence.journal;

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
      Location location,
      ByteBuffer[] parts,
      int crc,
      ByteBuf properties,
      ByteBuf body,
      CompletableFuture<Location> future)
      implements Op {}

  /** ACK, DELIVERED (with a message id), PURGE or DELETE_QUEUE (the writer fills in the bound). */
  record Control(RecordType type, long queueId, long messageId) implements Op {}

  /** Complete {@code future} once everything submitted before is durable. */
  record Sync(CompletableFuture<Void> future) implements Op {}

  /** Write and force everything submitted before, close the files, stop the writer. */
  record Stop(CompletableFuture<Void> future) implements Op {}
}
