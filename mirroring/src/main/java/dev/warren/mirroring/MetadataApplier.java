package dev.warren.mirroring;

import dev.warren.persistence.definitions.LogPosition;
import java.util.concurrent.CompletableFuture;

/**
 * What a node does with a committed entry of the metadata log: the broker's metadata writer
 * implements it, so that mirroring depends on nothing of the broker (DESIGN.md section 1). It
 * applies the entry's commands with the same code a single node runs: to the definitions store
 * (recording {@code position} in the same transaction), then to the live state of the broker.
 *
 * <p>Threads: called by Ratis' threads, in log order, one entry at a time; the implementation hands
 * the entry to its own writer and returns at once. The future completes once the entry is applied
 * here (a refused entry, refused alike on every node, counts as applied).
 */
public interface MetadataApplier {
  CompletableFuture<Void> applyCommitted(MetadataEntry entry, LogPosition position);

  /**
   * The definitions as of the last entry applied here, taken in log order with the entries (so
   * after every entry handed over before it). Called by Ratis when it takes a snapshot.
   */
  CompletableFuture<MetadataSnapshot> snapshot();

  /**
   * Makes this node's definitions those of {@code snapshot}, unless its store has applied that
   * position already, in log order with the entries: called when Ratis installed a snapshot sent by
   * the leader (this node lagged behind the log the leader keeps), and at start with the latest
   * snapshot. Returns at once.
   */
  void install(MetadataSnapshot snapshot);
}
