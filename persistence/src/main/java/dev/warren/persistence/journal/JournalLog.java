package dev.warren.persistence.journal;

import dev.warren.storage.Leadership;
import dev.warren.storage.MessageLog;
import dev.warren.storage.RecoveredLog;
import dev.warren.storage.StoredMessage;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link MessageLog} of one durable queue, backed by the node's {@link Journal}: records under
 * the queue's id. Its node always leads it. Futures of appends complete on the journal's writer
 * thread after the force that covers them, those of reads on its reader thread; acks, delivered
 * marks, purges and deletes complete at once, once the writer has them in order.
 */
final class JournalLog implements MessageLog {
  private final Journal journal;
  private final long queueId;

  JournalLog(Journal journal, long queueId) {
    this.journal = journal;
    this.queueId = queueId;
  }

  @Override
  public void subscribe(Leadership leadership) {
    journal.subscribe(queueId, leadership);
  }

  @Override
  public CompletableFuture<RecoveredLog> recover() {
    return journal.recover(queueId);
  }

  @Override
  public CompletableFuture<Void> append(long messageId, ByteBuf metadata, ByteBuf body) {
    return journal.enqueue(queueId, messageId, metadata, body);
  }

  @Override
  public CompletableFuture<Void> delivered(long messageId) {
    return journal.delivered(queueId, messageId);
  }

  @Override
  public CompletableFuture<Void> ack(long messageId) {
    return journal.ack(queueId, messageId);
  }

  @Override
  public CompletableFuture<Void> purge() {
    return journal.purge(queueId);
  }

  @Override
  public CompletableFuture<Void> delete() {
    return journal.deleteQueue(queueId);
  }

  @Override
  public CompletableFuture<List<StoredMessage>> read(long[] messageIds) {
    return journal.read(queueId, messageIds);
  }

  @Override
  public String toString() {
    return "journal log of queue " + queueId;
  }
}
