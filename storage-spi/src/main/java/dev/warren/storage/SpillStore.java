package dev.warren.storage;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where a queue pages out messages that its {@link MessageLog} does not hold (transient messages,
 * and every message of a transient queue) to keep its memory bounded. Paging is a concern of the
 * node the queue runs on: what is spilled here is never replicated and never recovered; a restart
 * drops it.
 *
 * <p>Every method returns a future that may fail (the store is closed, the disk failed): a failed
 * write leaves the message in memory. No method throws for such a failure.
 *
 * <p>Threads: the queue calls from its own thread; futures complete on a thread of the store's, so
 * callbacks hand off. Buffers: as {@link MessageLog#append} and {@link MessageLog#read}.
 */
public interface SpillStore {

  /** Writes a message out; ids increase, as for {@link MessageLog#append}. */
  CompletableFuture<Void> write(long messageId, ByteBuf metadata, ByteBuf body);

  /** The message is no longer needed (read back and delivered, or dropped). */
  CompletableFuture<Void> discard(long messageId);

  /** Every message written so far is no longer needed (purge, delete). */
  CompletableFuture<Void> clear();

  /** Reads messages back by id, as {@link MessageLog#read}; a discarded one reads as null. */
  CompletableFuture<List<StoredMessage>> read(long[] messageIds);
}
