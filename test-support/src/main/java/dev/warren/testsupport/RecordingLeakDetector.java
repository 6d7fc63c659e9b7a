package dev.warren.testsupport;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakTracker;

/**
 * A Netty leak detector that records its reports in the {@link LeakLedger} instead of logging them,
 * and tags each tracked allocation with the test that was running.
 *
 * <p>Netty finds a leak only when a tracked object has been garbage-collected without release() and
 * a later tracked allocation polls the detector's reference queue; {@link #poll()} is such an
 * allocation on demand. A report whose records equal an earlier one is not reported again (Netty
 * keeps the records it has reported); the allocation's test name, part of the records, keeps leaks
 * of different tests apart.
 *
 * <p>Thread-safe, as Netty's detector: any thread may allocate, poll or report.
 */
final class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {
  private final String resourceClassName;
  private final LeakLedger ledger;

  RecordingLeakDetector(Class<?> resourceType, int samplingInterval, LeakLedger ledger) {
    super(resourceType, samplingInterval);
    this.resourceClassName = resourceType.getName();
    this.ledger = ledger;
  }

  String resourceClassName() {
    return resourceClassName;
  }

  /** Called by Netty before each tracked allocation: reports are wanted whatever the log level. */
  @Override
  protected boolean needReport() {
    ledger.tracked();
    return true;
  }

  @Override
  protected void reportTracedLeak(String resourceType, String records) {
    ledger.report(resourceType, records);
  }

  @Override
  protected void reportUntracedLeak(String resourceType) {
    ledger.report(
        resourceType,
        "(no records: the allocation was not sampled; run with -Dio.netty.leakDetection.level"
            + "=paranoid to see where it was created)");
  }

  @Override
  protected Object getInitialHint(String resourceType) {
    return ledger.hint();
  }

  /**
   * Makes Netty report every tracked object collected so far: tracks a probe and closes its tracker
   * at once, so nothing is left open.
   */
  void poll() {
    // The probe stands in for a T: Netty's tracker holds it only through a weak reference and
    // never looks at its type.
    @SuppressWarnings("unchecked")
    T probe = (T) new Object();
    ResourceLeakTracker<T> tracker = trackForcibly(probe);
    tracker.close(probe);
  }
}
