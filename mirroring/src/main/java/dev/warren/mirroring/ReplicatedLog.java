package dev.warren.mirroring;

import dev.warren.storage.Leadership;
import dev.warren.storage.MessageLog;
import dev.warren.storage.RecoveredLog;
import dev.warren.storage.RemoteQueue;
import dev.warren.storage.StorageUnavailableException;
import dev.warren.storage.StoredMessage;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * The {@link MessageLog} of one mirrored queue: its entries go into the log of the queue's group
 * ({@link QueueGroup}) and its messages are read back from this node's replica of the group's state
 * ({@link QueueGroupState}). The queue serves while this node leads the group.
 *
 * <p>Futures complete once the entry is committed on a majority and applied by the leader (on
 * Ratis' client threads), or fail with {@link StorageUnavailableException} (no majority within the
 * commit timeout, or refused: an append whose id does not increase, a change to a deleted queue).
 * Acks and delivered marks of a message no longer held complete normally. Appends not yet applied
 * here are kept until they are, so that {@link #read} sees them.
 */
final class ReplicatedLog implements MessageLog {
  /** How soon a failed {@link #recover} is asked again. */
  static final long RECOVER_RETRY_MILLIS = 500;

  private final QueueGroup group;
  private final QueueGroupStateMachine stateMachine;
  private final long queueId;
  private final long timeoutMillis;
  private final Map<Long, QueueGroupEntry> appending = new ConcurrentHashMap<>();

  ReplicatedLog(QueueGroup group, long queueId, long timeoutMillis) {
    this.group = group;
    this.stateMachine = group.stateMachine();
    this.queueId = queueId;
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * A node that is not a voter of the group never leads it: the queue follows the leader that
   * {@link QueueGroupWatch} learns.
   */
  @Override
  public void subscribe(Leadership leadership) {
    stateMachine.subscribe(queueId, leadership);
  }

  /** The queue on node {@code leader}, reached through the group's forwarding client. */
  @Override
  public RemoteQueue remote(String leader) {
    return new ForwardedQueue(group, queueId, leader);
  }

  @Override
  public void serve(RemoteQueue here) {
    stateMachine.serve(queueId, here);
  }

  /** A barrier not committed in time is written again: the majority may only be slow. */
  @Override
  public long recoverRetryMillis() {
    return RECOVER_RETRY_MILLIS;
  }

  /** The commit timeout: a command waits no longer for a leader than an entry for a majority. */
  @Override
  public long leaderWaitMillis() {
    return timeoutMillis;
  }

  /**
   * Writes a barrier entry and answers the queue's log as of it, once it is applied here: every
   * entry committed before it (by any earlier leader) is then in the state read.
   */
  @Override
  public CompletableFuture<RecoveredLog> recover() {
    long token = ThreadLocalRandom.current().nextLong();
    CompletableFuture<RecoveredLog> recovered =
        stateMachine.barrier(token, queueId).orTimeout(timeoutMillis, TimeUnit.MILLISECONDS);
    group
        .submit(QueueGroupEntry.of(QueueGroupEntry.Op.BARRIER, queueId, token))
        .whenComplete(
            (applied, failure) -> {
              if (failure != null) {
                recovered.completeExceptionally(failure);
              }
            });
    recovered.whenComplete((log, failure) -> stateMachine.forgetBarrier(token));
    return recovered;
  }

  @Override
  public CompletableFuture<Void> append(long messageId, ByteBuf metadata, ByteBuf body) {
    ByteString entry = QueueGroupEntry.append(queueId, messageId, metadata, body);
    appending.put(messageId, QueueGroupEntry.decode(entry));
    CompletableFuture<Boolean> applied = group.submit(entry);
    applied.whenComplete((ok, failure) -> appending.remove(messageId));
    return applied.thenAccept(
        ok -> {
          if (!ok) {
            throw new CompletionException(
                new StorageUnavailableException(
                    "append of message "
                        + messageId
                        + " to queue "
                        + queueId
                        + " refused: its"
                        + " id does not increase, or the queue is deleted"));
          }
        });
  }

  @Override
  public CompletableFuture<Void> delivered(long messageId) {
    return change(QueueGroupEntry.of(QueueGroupEntry.Op.DELIVERED, queueId, messageId));
  }

  @Override
  public CompletableFuture<Void> returned(long messageId, int deliveryCount) {
    return change(QueueGroupEntry.returned(queueId, messageId, deliveryCount));
  }

  @Override
  public CompletableFuture<Void> deadLettering(long messageId, int reason) {
    return change(QueueGroupEntry.deadLettering(queueId, messageId, reason));
  }

  @Override
  public CompletableFuture<Void> ack(long messageId) {
    return change(QueueGroupEntry.of(QueueGroupEntry.Op.ACK, queueId, messageId));
  }

  @Override
  public CompletableFuture<Void> purge() {
    return change(QueueGroupEntry.of(QueueGroupEntry.Op.PURGE, queueId));
  }

  @Override
  public CompletableFuture<Void> delete() {
    stateMachine.unsubscribe(queueId);
    return change(QueueGroupEntry.of(QueueGroupEntry.Op.DELETE, queueId));
  }

  private CompletableFuture<Void> change(ByteString entry) {
    return group.submit(entry).thenAccept(ok -> {});
  }

  /** From the appends not yet applied here, then from this node's replica; at once. */
  @Override
  public CompletableFuture<List<StoredMessage>> read(long[] messageIds) {
    List<StoredMessage> fromState = stateMachine.state().read(queueId, messageIds);
    List<StoredMessage> read = new ArrayList<>(messageIds.length);
    for (int i = 0; i < messageIds.length; i++) {
      QueueGroupEntry pending = appending.get(messageIds[i]);
      StoredMessage held = fromState.get(i);
      if (held == null && pending != null) {
        held = QueueGroupState.stored(messageIds[i], pending.metadata(), pending.body());
      }
      read.add(held);
    }
    return CompletableFuture.completedFuture(read);
  }

  @Override
  public String toString() {
    return "queue group " + group.index() + " log of queue " + queueId;
  }
}
