package dev.warren.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IdleHeapReleaseTest {
  private static final long MIB = 1 << 20;
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  /** A heap whose readings the test sets; a collection frees the garbage and counts. */
  private static final class FakeHeap implements IdleHeapRelease.Heap {
    long collections;
    long oldUsed = 40 * MIB;
    long oldUsedAfterCollection = 12 * MIB;
    int explicitCollections;
    boolean collectionsRun = true;

    @Override
    public long collections() {
      return collections;
    }

    @Override
    public long oldUsed() {
      return oldUsed;
    }

    @Override
    public long oldUsedAfterCollection() {
      return oldUsedAfterCollection;
    }

    @Override
    public void collectAndShrink() {
      explicitCollections++;
      if (collectionsRun) {
        collections++;
        oldUsed = oldUsedAfterCollection;
      }
    }
  }

  @Test
  void collectsOnceWhenTheHeapWasQuietLongEnoughAndTheOldGenerationGainedGarbage() {
    FakeHeap heap = new FakeHeap();
    IdleHeapRelease release = new IdleHeapRelease(heap);
    long t = 0;
    for (; t < IdleHeapRelease.QUIET_SECONDS * SECOND; t += SECOND) {
      assertFalse(release.check(t), "collected after only " + t / SECOND + " quiet seconds");
    }
    assertTrue(release.check(t));
    assertEquals(1, heap.explicitCollections);
    for (int i = 0; i < 3 * IdleHeapRelease.QUIET_SECONDS; i++) {
      t += SECOND;
      release.check(t);
    }
    assertEquals(1, heap.explicitCollections, "the garbage is gone: no second collection");
  }

  @Test
  void anyCollectionMeansTheHeapIsBusyAndRestartsTheQuietPeriod() {
    FakeHeap heap = new FakeHeap();
    IdleHeapRelease release = new IdleHeapRelease(heap);
    for (long t = 0; t < 5 * IdleHeapRelease.QUIET_SECONDS * SECOND; t += SECOND) {
      if (t % (5 * SECOND) == 0) {
        heap.collections++;
      }
      assertFalse(release.check(t));
    }
    assertEquals(0, heap.explicitCollections);
  }

  @Test
  void lessGarbageThanTheThresholdIsLeftAlone() {
    FakeHeap heap = new FakeHeap();
    heap.oldUsed = heap.oldUsedAfterCollection + IdleHeapRelease.GARBAGE_MIB * MIB - 1;
    IdleHeapRelease release = new IdleHeapRelease(heap);
    for (long t = 0; t < 3 * IdleHeapRelease.QUIET_SECONDS * SECOND; t += SECOND) {
      assertFalse(release.check(t));
    }
    assertEquals(0, heap.explicitCollections);
  }

  @Test
  void aCollectionThatDoesNotHappenIsRetriedOnlyAfterAnotherQuietPeriod() {
    FakeHeap heap = new FakeHeap();
    heap.collectionsRun = false; // -XX:+DisableExplicitGC
    IdleHeapRelease release = new IdleHeapRelease(heap);
    for (long t = 0; t <= 3 * IdleHeapRelease.QUIET_SECONDS * SECOND; t += SECOND) {
      release.check(t);
    }
    assertEquals(3, heap.explicitCollections);
  }
}
