package dev.warren.mirroring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** One batch in flight: what comes meanwhile goes next, together, in order, within the limits. */
class OneBatchInFlightTest {
  private final List<List<Integer>> sent = new ArrayList<>();
  private final List<CompletableFuture<Void>> inFlight = new ArrayList<>();

  private OneBatchInFlight<Integer> batches(int maxItems, long maxWeight) {
    return new OneBatchInFlight<>(
        maxItems,
        maxWeight,
        i -> i,
        batch -> {
          sent.add(List.copyOf(batch));
          CompletableFuture<Void> settled = new CompletableFuture<>();
          inFlight.add(settled);
          return settled;
        });
  }

  @Test
  void anItemAloneGoesAtOnceAndTheOthersWaitForTheBatchOut() {
    OneBatchInFlight<Integer> b = batches(3, 100);
    b.add(1);
    b.add(2);
    b.add(3);
    b.add(4);
    b.add(5);
    assertEquals(List.of(List.of(1)), sent, "one out at a time");
    inFlight.get(0).complete(null);
    assertEquals(List.of(List.of(1), List.of(2, 3, 4)), sent, "the next three, in order");
    inFlight.get(1).completeExceptionally(new IllegalStateException("no answer"));
    assertEquals(List.of(5), sent.get(2), "a failed batch does not stop the next");
    inFlight.get(2).complete(null);
    b.add(6);
    assertEquals(List.of(6), sent.get(3), "idle again: at once");
  }

  @Test
  void aBatchStopsOnceItsWeightIsReached() {
    OneBatchInFlight<Integer> b = batches(100, 10);
    b.add(1);
    b.add(6);
    b.add(6);
    b.add(1);
    inFlight.get(0).complete(null);
    assertEquals(List.of(6, 6), sent.get(1));
    inFlight.get(1).complete(null);
    assertEquals(List.of(1), sent.get(2));
  }

  @Test
  void aSendThatThrowsIsAFailedBatch() {
    List<List<Integer>> tried = new ArrayList<>();
    OneBatchInFlight<Integer> b =
        new OneBatchInFlight<>(
            10,
            10,
            i -> 1,
            batch -> {
              tried.add(List.copyOf(batch));
              throw new IllegalStateException("not started");
            });
    b.add(1);
    b.add(2);
    assertEquals(List.of(List.of(1), List.of(2)), tried, "each goes, none is stuck");
  }
}
