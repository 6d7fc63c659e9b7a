package dev.warren.broker;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the heap back once the broker goes quiet, as G1's periodic collection does (JEP 346) and
 * the serial collector does not. The serial collector shrinks its old generation only at a full
 * collection; a broker that took a burst (a backlog that was promoted, then consumed) and then
 * idles never has one, and keeps the burst's heap resident for good.
 *
 * <p>So, when no collection of any kind has run for {@value #QUIET_SECONDS} s (the heap is barely
 * allocating, so no one waits on the pause) and the old generation holds at least {@value
 * #GARBAGE_MIB} MiB more than its last collection left, full collections run, with {@code
 * MaxHeapFreeRatio} lowered to {@value #SHRINK_TO_FREE_PERCENT}% meanwhile (both free ratios are
 * manageable flags), so that the generation shrinks to its live data; the flags are put back right
 * after, and the heap grows again under load as before. A collection that frees nothing (the growth
 * was live data) is not repeated: it resets the baseline.
 *
 * <p>Thread: one daemon thread of its own, started by the launcher (a process-wide concern: brokers
 * started in-process by tests leave their JVM's heap alone). Only with the serial collector.
 */
final class IdleHeapRelease implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(IdleHeapRelease.class);

  static final int QUIET_SECONDS = 10;
  static final int GARBAGE_MIB = 8;
  private static final int SHRINK_TO_FREE_PERCENT = 20;

  /**
   * The serial collector damps shrinking (none at the first of a series of full collections, 10% at
   * the second, 40% at the third, all of it from the fourth), lest a program that collects between
   * phases shrink and grow again each time.
   */
  private static final int SHRINK_COLLECTIONS = 4;

  private static final long CHECK_MILLIS = 1000;
  private static final String SERIAL_OLD_GENERATION = "Tenured Gen";

  /** What the policy reads of the JVM, and the one thing it does. */
  interface Heap {
    /** Collections of any generation so far. */
    long collections();

    /** Bytes in use in the old generation now, garbage included. */
    long oldUsed();

    /** Bytes in use in the old generation right after its last collection. */
    long oldUsedAfterCollection();

    /** A full collection that leaves the old generation no bigger than its live data needs. */
    void collectAndShrink();
  }

  private final Heap heap;
  private long collections = -1;
  private long quietSinceNanos;

  IdleHeapRelease(Heap heap) {
    this.heap = heap;
  }

  /** Starts the checks when the JVM runs the serial collector; otherwise does nothing. */
  static void startIfSerial() {
    MemoryPoolMXBean oldGeneration =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getName().equals(SERIAL_OLD_GENERATION))
            .findFirst()
            .orElse(null);
    if (oldGeneration == null) {
      return;
    }
    Broker.daemonScheduler("idle-heap-release")
        .scheduleWithFixedDelay(
            new IdleHeapRelease(new SerialHeap(oldGeneration)),
            CHECK_MILLIS,
            CHECK_MILLIS,
            TimeUnit.MILLISECONDS);
  }

  @Override
  public void run() {
    try {
      check(System.nanoTime());
    } catch (RuntimeException e) {
      // Thrown on, it ends the schedule: said once, not swallowed.
      LOG.warn("idle heap release stops: {}", e.toString());
      throw e;
    }
  }

  /** One check at {@code nowNanos}; true when it collected. */
  boolean check(long nowNanos) {
    long n = heap.collections();
    if (n != collections) {
      collections = n;
      quietSinceNanos = nowNanos;
      return false;
    }
    if (nowNanos - quietSinceNanos < TimeUnit.SECONDS.toNanos(QUIET_SECONDS)) {
      return false;
    }
    long garbage = heap.oldUsed() - heap.oldUsedAfterCollection();
    if (garbage < (long) GARBAGE_MIB << 20) {
      return false;
    }
    heap.collectAndShrink();
    // Not again before another quiet period, even if the collection did not run or freed nothing.
    quietSinceNanos = nowNanos;
    return true;
  }

  /** The running JVM's serial heap. */
  private static final class SerialHeap implements Heap {
    private final MemoryPoolMXBean oldGeneration;
    private final List<GarbageCollectorMXBean> collectors =
        ManagementFactory.getGarbageCollectorMXBeans();
    private final HotSpotDiagnosticMXBean vm =
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);

    SerialHeap(MemoryPoolMXBean oldGeneration) {
      this.oldGeneration = oldGeneration;
    }

    @Override
    public long collections() {
      long n = 0;
      for (GarbageCollectorMXBean c : collectors) {
        n += c.getCollectionCount();
      }
      return n;
    }

    @Override
    public long oldUsed() {
      return oldGeneration.getUsage().getUsed();
    }

    @Override
    public long oldUsedAfterCollection() {
      return oldGeneration.getCollectionUsage().getUsed();
    }

    @Override
    public void collectAndShrink() {
      String min = vm.getVMOption("MinHeapFreeRatio").getValue();
      String max = vm.getVMOption("MaxHeapFreeRatio").getValue();
      // Min may not exceed max at any moment: lower min first, raise max first when restoring.
      long before = oldGeneration.getUsage().getCommitted();
      try {
        vm.setVMOption("MinHeapFreeRatio", "0");
        vm.setVMOption("MaxHeapFreeRatio", Integer.toString(SHRINK_TO_FREE_PERCENT));
        for (int i = 0; i < SHRINK_COLLECTIONS; i++) {
          System.gc();
        }
      } finally {
        vm.setVMOption("MaxHeapFreeRatio", max);
        vm.setVMOption("MinHeapFreeRatio", min);
      }
      LOG.info(
          "heap quiet after a burst: old generation {} -> {} MiB ({} MiB live)",
          before >> 20,
          oldGeneration.getUsage().getCommitted() >> 20,
          oldUsedAfterCollection() >> 20);
    }
  }
}
