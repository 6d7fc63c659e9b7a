package dev.warren.storage;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A queue's client commands carried between the nodes of its replicated log: a node that follows
 * the log forwards them ({@link MessageLog#remote}) to the same queue on the node that leads it,
 * which serves them ({@link MessageLog#serve}). Messages travel in the log's form: the metadata and
 * body a queue appends.
 *
 * <p>Every future may fail (the leader did not answer within the log's commit timeout, it no longer
 * leads, its queue refused): a failed publish is a nack, never an ack. Futures complete on a thread
 * of the log's: callers hand off.
 *
 * <p>Ids: a delivery's id is the message's id in the log, the same on every node, so an ack names
 * the message whichever node leads when it arrives (one whose message is not out unacked there is
 * ignored: the message is delivered again, at least once).
 */
public interface RemoteQueue {

  /**
   * Enqueues a message. Completes with true once the leader's queue has it as safe as a publisher
   * confirm promises, false when it refused it. Takes ownership of both buffers.
   */
  CompletableFuture<Boolean> publish(ByteBuf metadata, ByteBuf body);

  /**
   * Takes up to {@code max} ready messages, in queue order (fewer, or none, when fewer are ready):
   * with {@code noAck} they leave the queue; otherwise each stays out unacked on the leader until
   * {@link #ack} or {@link #reject} names it. The caller owns the returned buffers.
   *
   * @param consumer 0 for a basic.get; else the sender's consumer they are for: on a
   *     single-active-consumer queue its number in {@link #contend} (none come unless it is the
   *     active one), on others -1; -2 says that none of the sender's consumers has room (none come,
   *     and the sender's consumers no longer hold back those of lower priority)
   * @param priority that consumer's priority: none come while another node's consumers of a higher
   *     priority want them
   */
  CompletableFuture<List<Delivered>> get(boolean noAck, int max, long consumer, int priority);

  /**
   * On a single-active-consumer queue: the sender puts forward its consumer {@code consumer} (its
   * first; 0 for none any more) to become the active one when its turn comes, as a consumer on the
   * leader would. It replaces the one the sender put forward before.
   */
  CompletableFuture<Void> contend(long consumer, int priority);

  /**
   * The queue as the commands of node {@code node} reach it, on the node that serves them: {@link
   * #get} and {@link #contend} speak for that node's consumers. The sender's own view is itself.
   */
  default RemoteQueue from(String node) {
    return this;
  }

  /**
   * On the node that serves: node {@code node} stopped, or restarted: the consumer it put forward
   * is forgotten.
   */
  default void nodeGone(String node) {}

  /**
   * Settles messages taken with {@link #get}. With {@code applied} (a transaction's commit waits
   * for it) the answer comes once the leader's log applied the acks; without, once the leader has
   * them in hand: the answers of the requests after it wait for this one's, and a consumer's every
   * ack should not hold them a commit.
   */
  CompletableFuture<Void> ack(long[] ids, boolean applied);

  /** Gives back (requeue) or drops (dead-letters) messages taken with {@link #get}. */
  CompletableFuture<Void> reject(long[] ids, boolean requeue);

  /** Ready messages and consumers, as the leader's queue counts them (queue.declare-ok). */
  CompletableFuture<Counts> counts();

  /** Drops every ready message; completes with how many. */
  CompletableFuture<Integer> purge();

  /**
   * One message taken from the leader's queue.
   *
   * @param message the message in the log's form; its id is the log's
   * @param redelivered whether it was delivered before
   * @param messageCount ready messages left after it
   * @param deliveryCount times it was delivered before
   */
  record Delivered(
      StoredMessage message, boolean redelivered, int messageCount, int deliveryCount) {}

  /** What queue.declare-ok reports. */
  record Counts(int messages, int consumers) {}
}
