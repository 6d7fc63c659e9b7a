package dev.warren.storage;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The message log of one queue: where a durable queue's persistent messages are stored, in order,
 * until settled (DESIGN.md sections 1 and 4). The node's journal implements it today; a queue
 * group's Raft log will implement it for mirrored queues, unchanged for the queue.
 *
 * <p>Every mutation returns a future that may fail (the log is closed, this node no longer leads
 * it, the disk failed). A failed append is a nack to the publisher and a failed purge or delete is
 * an error to the client, never a false success. A failed ack or delivered mark leaves the message
 * in the log: it comes back (redelivered) after a restart or a change of leader, which is
 * at-least-once. No method throws for such a failure.
 *
 * <p>Ids: the queue gives each message an id above every id it used before ({@link
 * RecoveredLog#nextId()} after a restart); an append whose id does not increase fails.
 *
 * <p>Threads: the queue calls from its own thread, one call at a time, and the log applies a
 * queue's calls in the order they were made. Futures complete on a thread of the log's: callbacks
 * must hand off, never block. Buffers: see {@link #append} and {@link #read}.
 */
public interface MessageLog {

  /**
   * Tells {@code leadership} when the queue may use this log (it leads it), when it must stop (it
   * no longer leads it) and when the log is gone for good. A log of the node's own (the journal) is
   * always led by its node: it calls {@link Leadership#becameLeader()} at once, on the caller's
   * thread. Called once, before any other method.
   */
  void subscribe(Leadership leadership);

  /**
   * How long the queue holds a client's command while this node is not serving it and no other node
   * is known to lead the log (recovering, an election): past it the command is refused (a publish
   * nacked), so that no client waits for ever. A log its node always leads waits as long as its
   * recovery takes.
   */
  default long leaderWaitMillis() {
    return Long.MAX_VALUE;
  }

  /**
   * The queue on node {@code leader}, which leads this log while this node follows it: where the
   * queue forwards its clients' commands. Null when this log cannot forward (a log its node always
   * leads): the queue then refuses them.
   */
  default RemoteQueue remote(String leader) {
    return null;
  }

  /**
   * The queue's side of forwarding: while its node leads the log, commands that other nodes forward
   * ({@link #remote}) go to {@code here}. Called once, with {@link #subscribe}.
   */
  default void serve(RemoteQueue here) {}

  /**
   * The queue's live messages and the first free id, as the log holds them now: after a restart (or
   * on becoming leader) the queue rebuilds itself from this, then reads the messages back with
   * {@link #read}. After an unclean stop every message is flagged redelivered, since a delivery may
   * have left before its mark was stored.
   */
  CompletableFuture<RecoveredLog> recover();

  /**
   * How soon to ask {@link #recover} again after it failed, in milliseconds; -1 (the default): a
   * failure is for good, and the queue is lost. A replicated log's recover fails for a while when
   * its barrier is not committed within the commit timeout though this node still leads (a slow
   * majority), or just before the node hears it no longer leads: the queue asks again, and goes on
   * waiting for its log meanwhile.
   */
  default long recoverRetryMillis() {
    return -1;
  }

  /**
   * Appends a message. The future completes once it is as safe as the log promises a confirmed
   * message to be (the node journal: after the fsync that covers it, in its default sync mode; a
   * replicated log: committed on a majority). The readable bytes of {@code metadata} and {@code
   * body} are written as they are: the log takes references of its own (the caller keeps and
   * releases its own) and the caller must not change those bytes until the future completes.
   */
  CompletableFuture<Void> append(long messageId, ByteBuf metadata, ByteBuf body);

  /** The message was delivered: after a restart it comes back with redelivered=true. */
  CompletableFuture<Void> delivered(long messageId);

  /**
   * The message came back to the queue (rejected or nacked with requeue, or returned by a closed
   * channel) after {@code deliveryCount} deliveries: a log that keeps delivery counts gives it back
   * with that count after a change of leader ({@link RecoveredLog#deliveryCount}), so that a
   * delivery limit holds across it. The node journal keeps none (its default: nothing to do); after
   * a restart a queue counts a redelivered message as delivered once.
   */
  default CompletableFuture<Void> returned(long messageId, int deliveryCount) {
    return CompletableFuture.completedFuture(null);
  }

  /**
   * The message left the queue to be dead-lettered ({@code reason}: the queue's own code for why)
   * and stays in the log until its dead letter is safe wherever it went ({@link #ack}). A log that
   * keeps the mark hands it back from {@link #recover()} ({@link RecoveredLog#deadLettering}), so
   * that a new leader dead-letters the message again rather than delivering it. The node journal
   * keeps none (its default: nothing to do); after a restart such a message is ready again.
   */
  default CompletableFuture<Void> deadLettering(long messageId, int reason) {
    return CompletableFuture.completedFuture(null);
  }

  /**
   * The message is settled (acked, expired, dropped, dead-lettered and safe elsewhere) and must not
   * come back. The future completes once the log has applied it; it may become durable only with a
   * later append (a lost ack brings the message back, never the reverse).
   */
  CompletableFuture<Void> ack(long messageId);

  /** Every message appended so far is gone (later appends stay). */
  CompletableFuture<Void> purge();

  /** The queue is deleted with all its messages; the log takes nothing more. */
  CompletableFuture<Void> delete();

  /**
   * Reads messages back by id, in the given order, off the caller's thread. Sees every append
   * issued before it, durable yet or not. A message not in the log (acked meanwhile, never
   * appended) reads as null; the read fails only when the log cannot be read (I/O error, corrupt
   * record). The caller owns the buffers of every message returned.
   */
  CompletableFuture<List<StoredMessage>> read(long[] messageIds);
}
