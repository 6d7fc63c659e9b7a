package dev.warren.persistence.journal;

import dev.warren.storage.SpillStore;
import dev.warren.storage.StoredMessage;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link SpillStore} in the node's {@link Journal}: records under an id no definition holds, so
 * recovery never hands them to a queue and the broker drops them at the next start. A discard is an
 * ACK record and a clear a PURGE, so that segments of spilled messages are freed like any other.
 */
final class JournalSpill implements SpillStore {
  private final Journal journal;
  private final long spillId;

  JournalSpill(Journal journal, long spillId) {
    this.journal = journal;
    this.spillId = spillId;
  }

  @Override
  public CompletableFuture<Void> write(long messageId, ByteBuf metadata, ByteBuf body) {
    return journal.enqueue(spillId, messageId, metadata, body);
  }

  @Override
  public CompletableFuture<Void> discard(long messageId) {
    return journal.ack(spillId, messageId);
  }

  @Override
  public CompletableFuture<Void> clear() {
    return journal.purge(spillId);
  }

  @Override
  public CompletableFuture<List<StoredMessage>> read(long[] messageIds) {
    return journal.read(spillId, messageIds);
  }

  @Override
  public String toString() {
    return "journal spill " + spillId;
  }
}
