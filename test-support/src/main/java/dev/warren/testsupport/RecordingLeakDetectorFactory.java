package dev.warren.testsupport;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Makes every Netty leak detector of this JVM a {@link RecordingLeakDetector}, and remembers them
 * so that a check can poll them all. Netty asks once per resource type, when the type's class is
 * initialized (ByteBuf's detector when the first buffer class is), so it must be installed first.
 *
 * <p>Thread-safe: Netty may ask from any thread.
 */
final class RecordingLeakDetectorFactory extends ResourceLeakDetectorFactory {
  private final LeakLedger ledger;
  private final List<RecordingLeakDetector<?>> made = new CopyOnWriteArrayList<>();

  RecordingLeakDetectorFactory(LeakLedger ledger) {
    this.ledger = ledger;
  }

  @Override
  public <T> ResourceLeakDetector<T> newResourceLeakDetector(
      Class<T> resource, int samplingInterval) {
    RecordingLeakDetector<T> detector =
        new RecordingLeakDetector<>(resource, samplingInterval, ledger);
    made.add(detector);
    return detector;
  }

  /** Netty's older entry point: {@code maxActive} has long been ignored by Netty itself. */
  @Override
  @Deprecated
  public <T> ResourceLeakDetector<T> newResourceLeakDetector(
      Class<T> resource, int samplingInterval, long maxActive) {
    return newResourceLeakDetector(resource, samplingInterval);
  }

  /** Whether Netty asked this factory for the detector of the class with this name. */
  boolean made(String resourceClassName) {
    return made.stream().anyMatch(d -> d.resourceClassName().equals(resourceClassName));
  }

  /** Polls every detector made so far; returns how many it polled. */
  int pollAll() {
    int polled = 0;
    for (RecordingLeakDetector<?> detector : made) {
      detector.poll();
      polled++;
    }
    return polled;
  }
}
