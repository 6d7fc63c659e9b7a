package dev.warren.persistence.journal;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The journal as one queue sees it: the SPI that queue-engine writes to. A node's {@link Journal}
 * hands one out per durable queue ({@link Journal#forQueue}) and per transient queue, which only
 * spills to it ({@link Journal#forSpill}); a mirrored queue will get one backed by a replicated
 * log. Message ids are the queue's own and must increase ({@link #firstFreeId}).
 *
 * <p>Threads: the queue calls it from its own thread; futures complete on a journal thread, so
 * their callbacks must hand off rather than block.
 */
public interface QueueJournal {

  /**
   * Whether what is stored here comes back after a restart: true for a durable queue; false for a
   * queue that only spills messages to disk to bound its memory (a transient queue), whose id is
   * dropped at the next start.
   */
  boolean recoverable();

  /**
   * The lowest message id this queue may use: above every id ever stored, even before a restart.
   */
  long firstFreeId();

  /**
   * The queue's live messages found at open, in message-id order (empty for a new queue). After an
   * unclean shutdown all of them are flagged redelivered, since a delivery may have left before its
   * mark was stored.
   */
  List<RecoveredMessage> recovered();

  /**
   * Stores a message; the future completes once it is as safe as the sync mode promises (the
   * publisher confirm waits for it). The buffers are written as they are and must not change until
   * then; the journal takes and releases references of its own.
   */
  CompletableFuture<Location> enqueue(long messageId, ByteBuf metadata, ByteBuf body);

  /** The message was delivered once: after a restart it comes back redelivered. */
  void delivered(long messageId);

  /** The message is settled (acked, expired, dropped) and must not come back. */
  void ack(long messageId);

  /** Every message stored for this queue so far is gone. */
  void purge();

  /** The queue is deleted with all its messages. */
  void delete();

  /**
   * Reads stored messages back by id, in the given order, off the caller's thread (the future
   * completes on a journal thread); the caller owns the buffers of the result. Sees every enqueue
   * issued before it, stored or not yet. A message no longer stored (acked meanwhile, or never
   * stored) reads as null; the read fails only with an I/O error or a corrupt record (which names
   * its file and offset).
   */
  CompletableFuture<List<StoredMessage>> read(long[] messageIds);
}
