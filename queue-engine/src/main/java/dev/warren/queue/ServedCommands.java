package dev.warren.queue;

import dev.warren.storage.RemoteQueue;
import dev.warren.storage.StoredMessage;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The commands other nodes forward to a queue whose log this node leads ({@link Forwarding} on
 * theirs): each runs as the same command of a client here would, except that it is never forwarded
 * again (a node that does not lead the log refuses it, and the sender nacks or refuses in turn).
 * Messages taken for another node stay out unacked here, under their log ids, until that node acks
 * or rejects them, or this queue lets go of them (a change of leader brings them back redelivered).
 *
 * <p>Threads: called on the log's threads; the queue runs each command on its own and completes the
 * future there.
 */
final class ServedCommands implements RemoteQueue {
  private final MessageQueue queue;
  private final Scheduler scheduler;
  private final MemoryLedger ledger;

  /** The node whose commands these are ({@link #from}); null for no node's in particular. */
  private final String node;

  ServedCommands(MessageQueue queue, Scheduler scheduler, MemoryLedger ledger) {
    this(queue, scheduler, ledger, null);
  }

  private ServedCommands(
      MessageQueue queue, Scheduler scheduler, MemoryLedger ledger, String node) {
    this.queue = queue;
    this.scheduler = scheduler;
    this.ledger = ledger;
    this.node = node;
  }

  @Override
  public RemoteQueue from(String node) {
    return new ServedCommands(queue, scheduler, ledger, node);
  }

  @Override
  public CompletableFuture<Boolean> publish(ByteBuf metadata, ByteBuf body) {
    Message message = StoredForm.restore(new StoredMessage(0, metadata, body), ledger).message();
    CompletableFuture<Boolean> confirmed = new CompletableFuture<>();
    queue.publishServed(message, confirmed::complete);
    return confirmed;
  }

  @Override
  public CompletableFuture<List<Delivered>> get(
      boolean noAck, int max, long consumer, int priority) {
    CompletableFuture<List<Delivered>> done = new CompletableFuture<>();
    take(noAck, max, consumer, priority, new ArrayList<>(), done);
    return done;
  }

  /** One basic.get after the other, until {@code max} or the queue has none ready. */
  private void take(
      boolean noAck,
      int max,
      long consumer,
      int priority,
      List<Delivered> taken,
      CompletableFuture<List<Delivered>> done) {
    queue
        .getFor(noAck, node, consumer, priority)
        .whenComplete(
            (d, failure) -> {
              if (failure != null) {
                if (taken.isEmpty()) {
                  done.completeExceptionally(failure);
                } else {
                  done.complete(taken);
                }
              } else if (d == null) {
                done.complete(taken);
              } else {
                taken.add(delivered(d));
                if (taken.size() < max) {
                  take(noAck, max, consumer, priority, taken, done);
                } else {
                  done.complete(taken);
                }
              }
            });
  }

  private Delivered delivered(Delivery d) {
    Message m = d.message();
    ByteBuf metadata = StoredForm.metadata(m, scheduler.epochMillis());
    ByteBuf body = m.body().retain();
    m.release();
    return new Delivered(
        new StoredMessage(d.id(), metadata, body),
        d.redelivered(),
        d.messageCount(),
        d.deliveryCount());
  }

  /**
   * Without {@code applied}, answers once the acks are handed to the queue (which runs them before
   * any later command): a forwarded ack lost with this node's leadership then brings its message
   * back (at least once). With it, once the queue's log applied them.
   */
  @Override
  public CompletableFuture<Void> ack(long[] ids, boolean applied) {
    CompletableFuture<Void> done = queue.ack(ids, ids.length, false, applied);
    return applied ? done : CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> reject(long[] ids, boolean requeue) {
    queue.reject(ids, ids.length, requeue, false);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> contend(long consumer, int priority) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    queue.contend(node, consumer, priority, done);
    return done;
  }

  @Override
  public void nodeGone(String gone) {
    queue.contend(gone, 0, 0, new CompletableFuture<>());
  }

  @Override
  public CompletableFuture<Counts> counts() {
    return queue.counts(false).thenApply(c -> new Counts(c.messageCount(), c.consumerCount()));
  }

  @Override
  public CompletableFuture<Integer> purge() {
    return queue.purge(false);
  }
}
