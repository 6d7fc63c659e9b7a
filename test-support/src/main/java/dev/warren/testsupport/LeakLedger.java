package dev.warren.testsupport;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the recording leak detectors of this JVM have seen: the leak reports not yet claimed by a
 * check, the number of tracked allocations, and the name of the test running now, which every
 * tracked allocation carries as the hint of its creation record.
 *
 * <p>Thread-safe: detectors call in from whichever thread allocates or polls (a broker's event
 * loops, a journal's writer); the extension's callbacks run on JUnit's thread.
 */
final class LeakLedger {
  private static final String HINT = "allocated during ";

  private final ConcurrentLinkedQueue<LeakReport> reports = new ConcurrentLinkedQueue<>();
  private final AtomicLong tracked = new AtomicLong();
  private volatile String during = "no test yet";
  private volatile String hint = HINT + during;

  /**
   * One leak: the tracked resource type, Netty's records of where it was created and last touched,
   * and the test or fixture that was running when it was created.
   */
  record LeakReport(String resourceType, String records, String allocatedDuring) {}

  void report(String resourceType, String records) {
    String allocatedDuring =
        records
            .lines()
            .map(String::strip)
            .filter(line -> line.startsWith("Hint: " + HINT))
            .map(line -> line.substring(("Hint: " + HINT).length()))
            .reduce((earlier, creation) -> creation) // the creation record comes last
            .orElse("(unknown)");
    reports.add(new LeakReport(resourceType, records, allocatedDuring));
  }

  /** Every report held, oldest first; they are no longer held here. */
  List<LeakReport> drain() {
    List<LeakReport> drained = new ArrayList<>();
    for (LeakReport r; (r = reports.poll()) != null; ) {
      drained.add(r);
    }
    return drained;
  }

  /** The reports of objects allocated during {@code what}, oldest first; the others stay. */
  List<LeakReport> drainAllocatedDuring(String what) {
    List<LeakReport> drained = new ArrayList<>();
    for (Iterator<LeakReport> i = reports.iterator(); i.hasNext(); ) {
      LeakReport r = i.next();
      if (r.allocatedDuring().equals(what)) {
        drained.add(r);
        i.remove();
      }
    }
    return drained;
  }

  int pending() {
    return reports.size();
  }

  /** Counts a tracked allocation (or a detector poll). */
  void tracked() {
    tracked.incrementAndGet();
  }

  long trackedCount() {
    return tracked.get();
  }

  /** Names what runs from now on (a test, a class's fixtures); returns what ran before. */
  String enter(String what) {
    String before = during;
    during = what;
    hint = HINT + what;
    return before;
  }

  /** The hint a new tracked allocation carries: the test or fixture that was running. */
  String hint() {
    return hint;
  }
}
