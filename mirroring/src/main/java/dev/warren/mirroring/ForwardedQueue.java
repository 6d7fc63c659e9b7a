package dev.warren.mirroring;

import dev.warren.mirroring.ForwardedCommand.Op;
import dev.warren.storage.RemoteQueue;
import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A mirrored queue as a node that follows its group reaches it on the node that leads the group:
 * each command is a {@link ForwardedCommand} sent to that node ({@link QueueGroup#forward}), where
 * the group's state machine hands it to the queue ({@link QueueGroupStateMachine#query}).
 *
 * <p>Publishes travel in batches, one batch in flight at a time: Ratis' Netty server handles a
 * connection's requests one after the other, each until it completes, and a publish completes only
 * once committed; one request per message would wait one commit each. The publishes made while a
 * batch is out go together in the next one (at most {@value #BATCH_MESSAGES} messages or {@value
 * #BATCH_BYTES} bytes), in order.
 *
 * <p>Threads: any; futures complete on Ratis' client threads.
 */
final class ForwardedQueue implements RemoteQueue {
  static final int BATCH_MESSAGES = 512;
  static final int BATCH_BYTES = 4 << 20;

  /** Attempts at cancelling a failed GET, and the pause between two. */
  static final int CANCEL_TRIES = 10;

  static final long CANCEL_RETRY_MILLIS = 200;

  private final QueueGroup group;
  private final long queueId;
  private final String leader;

  /** Publishes not sent yet, and whether a batch is out; guarded by this. */
  private final ArrayDeque<Publish> waiting = new ArrayDeque<>();

  private boolean sending;

  /** A publish as it waits: its bytes, copied, and its outcome. */
  private record Publish(byte[][] message, CompletableFuture<Boolean> accepted) {}

  ForwardedQueue(QueueGroup group, long queueId, String leader) {
    this.group = group;
    this.queueId = queueId;
    this.leader = leader;
  }

  @Override
  public CompletableFuture<Boolean> publish(ByteBuf metadata, ByteBuf body) {
    byte[][] message = {bytes(metadata), bytes(body)};
    Publish p = new Publish(message, new CompletableFuture<>());
    List<Publish> batch;
    synchronized (this) {
      waiting.add(p);
      if (sending) {
        return p.accepted();
      }
      sending = true;
      batch = nextBatch();
    }
    send(batch);
    return p.accepted();
  }

  /** The readable bytes of {@code b}, copied; releases it. */
  private static byte[] bytes(ByteBuf b) {
    try {
      byte[] bytes = new byte[b.readableBytes()];
      b.getBytes(b.readerIndex(), bytes);
      return bytes;
    } finally {
      b.release();
    }
  }

  /** Takes the next batch off {@link #waiting}; under this. */
  private List<Publish> nextBatch() {
    List<Publish> batch = new ArrayList<>();
    long bytes = 0;
    while (!waiting.isEmpty() && batch.size() < BATCH_MESSAGES && bytes < BATCH_BYTES) {
      Publish p = waiting.poll();
      bytes += p.message()[0].length + p.message()[1].length;
      batch.add(p);
    }
    return batch;
  }

  private void send(List<Publish> batch) {
    group
        .forward(
            ForwardedCommand.publish(
                group.sender(), queueId, batch.stream().map(Publish::message).toList()),
            leader)
        .whenComplete(
            (reply, failure) -> {
              for (int i = 0; i < batch.size(); i++) {
                batch
                    .get(i)
                    .accepted()
                    .complete(failure == null && ForwardedCommand.accepted(reply, i));
              }
              List<Publish> next;
              synchronized (this) {
                if (waiting.isEmpty()) {
                  sending = false;
                  return;
                }
                next = nextBatch();
              }
              send(next);
            });
  }

  /**
   * A GET that fails here (no answer in time, the connection replaced) may have taken messages
   * there, out unacked for this node for good: it is cancelled by its token, so that they go back
   * ({@link Loans#cancel}).
   */
  @Override
  public CompletableFuture<List<Delivered>> get(boolean noAck, int max) {
    long token = group.nextGetToken();
    CompletableFuture<List<Delivered>> taken =
        group
            .forward(ForwardedCommand.get(group.sender(), queueId, noAck, max, token), leader)
            .thenApply(ForwardedCommand::delivered);
    if (!noAck) {
      taken.whenComplete(
          (delivered, failure) -> {
            if (failure != null) {
              cancel(token, 1);
            }
          });
    }
    return taken;
  }

  /**
   * Sends a GET's cancel; when that fails, again after {@value #CANCEL_RETRY_MILLIS} ms, {@value
   * #CANCEL_TRIES} times in all (a leader that stopped leading meanwhile has no loans left: its
   * successor rebuilt the queue with every unacked message back).
   */
  private void cancel(long token, int attempt) {
    group
        .tell(ForwardedCommand.cancel(group.sender(), queueId, token), leader)
        .whenComplete(
            (reply, failure) -> {
              if (failure != null && attempt < CANCEL_TRIES) {
                CompletableFuture.delayedExecutor(CANCEL_RETRY_MILLIS, TimeUnit.MILLISECONDS)
                    .execute(() -> cancel(token, attempt + 1));
              }
            });
  }

  @Override
  public CompletableFuture<Void> ack(long[] ids, boolean applied) {
    return group
        .forward(ForwardedCommand.settle(group.sender(), queueId, Op.ACK, ids, applied), leader)
        .thenApply(reply -> null);
  }

  @Override
  public CompletableFuture<Void> reject(long[] ids, boolean requeue) {
    return group
        .forward(ForwardedCommand.settle(group.sender(), queueId, Op.REJECT, ids, requeue), leader)
        .thenApply(reply -> null);
  }

  @Override
  public CompletableFuture<Counts> counts() {
    return group
        .forward(ForwardedCommand.of(group.sender(), Op.COUNTS, queueId), leader)
        .thenApply(ForwardedCommand::counts);
  }

  @Override
  public CompletableFuture<Integer> purge() {
    return group
        .forward(ForwardedCommand.of(group.sender(), Op.PURGE, queueId), leader)
        .thenApply(ForwardedCommand::count);
  }
}
