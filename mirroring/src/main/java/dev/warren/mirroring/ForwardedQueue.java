package dev.warren.mirroring;

import dev.warren.mirroring.ForwardedCommand.Op;
import dev.warren.storage.RemoteQueue;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

/**
 * A mirrored queue as a node that follows its group reaches it on the node that leads the group:
 * each command is a {@link ForwardedCommand} sent to that node ({@link QueueGroup#forward}), where
 * the group's state machine hands it to the queue ({@link QueueGroupStateMachine#query}).
 *
 * <p>Publishes travel in batches, one batch in flight at a time: Ratis' Netty server handles a
 * connection's requests one after the other, each until it completes, and a publish completes only
 * once committed; one request per message would wait one commit each. The publishes made while a
 * batch is out go together in the next one (at most {@value #BATCH_MESSAGES} messages or {@value
 * #BATCH_BYTES} bytes), in order ({@link OneBatchInFlight}). So do acks nobody waits for (up to
 * {@value #BATCH_ACKS} ids): a consumer acks each message, and each was a request. They may pass a
 * later reject or GET, which name other messages.
 *
 * <p>Threads: any; futures complete on Ratis' client threads.
 */
final class ForwardedQueue implements RemoteQueue {
  static final int BATCH_MESSAGES = 512;
  static final int BATCH_BYTES = 4 << 20;

  /** Message ids of one batch of acks at most. */
  static final int BATCH_ACKS = 4096;

  /** Attempts at cancelling a failed GET, and the pause between two. */
  static final int CANCEL_TRIES = 10;

  static final long CANCEL_RETRY_MILLIS = 200;

  private final QueueGroup group;
  private final long queueId;
  private final String leader;

  /** Publishes: a batch in flight at a time. */
  private final OneBatchInFlight<Publish> publishes;

  /** Acks nobody waits for (not a transaction's): a batch in flight at a time. */
  private final OneBatchInFlight<Ack> acks;

  /** A publish as it waits: its bytes, copied, and its outcome. */
  private record Publish(byte[][] message, CompletableFuture<Boolean> accepted) {
    long bytes() {
      return message[0].length + message[1].length;
    }
  }

  /** Acks as they wait, and their outcome. */
  private record Ack(long[] ids, CompletableFuture<Void> done) {}

  ForwardedQueue(QueueGroup group, long queueId, String leader) {
    this.group = group;
    this.queueId = queueId;
    this.leader = leader;
    this.publishes =
        new OneBatchInFlight<>(BATCH_MESSAGES, BATCH_BYTES, Publish::bytes, this::sendPublishes);
    this.acks = new OneBatchInFlight<>(BATCH_ACKS, BATCH_ACKS, a -> a.ids().length, this::sendAcks);
  }

  @Override
  public CompletableFuture<Boolean> publish(ByteBuf metadata, ByteBuf body) {
    Publish p = new Publish(new byte[][] {bytes(metadata), bytes(body)}, new CompletableFuture<>());
    publishes.add(p);
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

  private CompletableFuture<?> sendPublishes(List<Publish> batch) {
    return group
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
            });
  }

  /**
   * A GET that fails here (no answer in time, the connection replaced) may have taken messages
   * there, out unacked for this node for good: it is cancelled by its token, so that they go back
   * ({@link Loans#cancel}).
   */
  @Override
  public CompletableFuture<List<Delivered>> get(
      boolean noAck, int max, long consumer, int priority) {
    long token = group.nextGetToken();
    CompletableFuture<List<Delivered>> taken =
        group
            .forward(
                ForwardedCommand.get(
                    group.sender(), queueId, noAck, max, token, consumer, priority),
                leader)
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

  /**
   * A transaction's acks ({@code applied}) go at once, answered once applied; the others in
   * batches, one in flight at a time (a consumer acks each message, and each was a request).
   */
  @Override
  public CompletableFuture<Void> ack(long[] ids, boolean applied) {
    if (applied) {
      return group
          .forward(ForwardedCommand.settle(group.sender(), queueId, Op.ACK, ids, true), leader)
          .thenApply(reply -> null);
    }
    Ack a = new Ack(ids, new CompletableFuture<>());
    acks.add(a);
    return a.done();
  }

  private CompletableFuture<?> sendAcks(List<Ack> batch) {
    long[] ids = batch.stream().flatMapToLong(a -> LongStream.of(a.ids())).toArray();
    return group
        .forward(ForwardedCommand.settle(group.sender(), queueId, Op.ACK, ids, false), leader)
        .whenComplete(
            (reply, failure) -> {
              for (Ack a : batch) {
                if (failure == null) {
                  a.done().complete(null);
                } else {
                  a.done().completeExceptionally(failure);
                }
              }
            });
  }

  @Override
  public CompletableFuture<Void> reject(long[] ids, boolean requeue) {
    return group
        .forward(ForwardedCommand.settle(group.sender(), queueId, Op.REJECT, ids, requeue), leader)
        .thenApply(reply -> null);
  }

  @Override
  public CompletableFuture<Void> contend(long consumer, int priority) {
    return group
        .forward(ForwardedCommand.contend(group.sender(), queueId, consumer, priority), leader)
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
