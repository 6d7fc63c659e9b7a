package dev.warren.mirroring;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Items sent in batches, one batch in flight at a time: an item added while none is out goes at
 * once, alone; those added while one is out go together in the next (at most {@code maxItems}, or
 * until their weights reach {@code maxWeight}), in the order they came. Under load a request then
 * carries many items at about the cost of one; alone, an item waits for nothing.
 *
 * <p>Threads: {@link #add} from any; the next batch goes from the thread that settles the last.
 *
 * @param <T> an item, which carries its own outcome for {@code send} to settle
 */
final class OneBatchInFlight<T> {
  private final int maxItems;
  private final long maxWeight;
  private final ToLongFunction<T> weight;
  private final Function<List<T>, CompletableFuture<?>> send;

  /** Items not sent yet, and whether a batch is out; guarded by this. */
  private final ArrayDeque<T> waiting = new ArrayDeque<>();

  private boolean sending;

  /**
   * @param send sends a batch and settles its items; the future completes (either way) once it has
   */
  OneBatchInFlight(
      int maxItems,
      long maxWeight,
      ToLongFunction<T> weight,
      Function<List<T>, CompletableFuture<?>> send) {
    this.maxItems = maxItems;
    this.maxWeight = maxWeight;
    this.weight = weight;
    this.send = send;
  }

  void add(T item) {
    List<T> batch;
    synchronized (this) {
      waiting.add(item);
      if (sending) {
        return;
      }
      sending = true;
      batch = next();
    }
    send(batch);
  }

  /** Takes the next batch off {@link #waiting}; under this. */
  private List<T> next() {
    List<T> batch = new ArrayList<>();
    long weighed = 0;
    while (!waiting.isEmpty() && batch.size() < maxItems && weighed < maxWeight) {
      T item = waiting.poll();
      weighed += weight.applyAsLong(item);
      batch.add(item);
    }
    return batch;
  }

  private void send(List<T> batch) {
    CompletableFuture<?> settled;
    try {
      settled = send.apply(batch);
    } catch (RuntimeException e) {
      settled = CompletableFuture.failedFuture(e);
    }
    settled.whenComplete(
        (done, failure) -> {
          List<T> next;
          synchronized (this) {
            if (waiting.isEmpty()) {
              sending = false;
              return;
            }
            next = next();
          }
          send(next);
        });
  }
}
