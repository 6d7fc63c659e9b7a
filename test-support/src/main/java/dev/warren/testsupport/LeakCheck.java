package dev.warren.testsupport;

import dev.warren.testsupport.LeakLedger.LeakReport;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The leak check of this JVM: installs the {@link RecordingLeakDetectorFactory} before any Netty
 * buffer exists, and fails a test or a test class with the reports of what leaked.
 *
 * <p>Netty notices a leak only once the collector has cleared the leaked object and a later tracked
 * allocation polls the detector. A forced full collection takes 15 to 130 ms in a test JVM on the
 * build machine, more than most tests take, so the checks collect only after each test class:
 *
 * <ul>
 *   <li>After a test, every detector is polled without a collection: a leak the JVM has already
 *       collected by itself (young collections are frequent in tests that move messages) of an
 *       object allocated while the test ran fails the test.
 *   <li>After a test class, a full collection, then rounds of: another full collection and a poll
 *       of every detector, until a round brings no new report (within {@link
 *       #ROUNDS_BUDGET_NANOS}). Every report then held fails the class: the leaks of its
 *       class-level fixtures, of its tests' objects found only now (an object a test instance held
 *       is collectable only once JUnit has let go of the instance, after the test's own check), and
 *       of older objects that died during it. The collections are skipped when nothing was tracked
 *       since the previous ones.
 * </ul>
 *
 * <p>Every report names in its creation record ("Hint: allocated during ...") the test or fixture
 * that was running when the object was allocated, on whichever thread, so the failure of a class
 * still says which test leaked. Nothing collected before the last class of a JVM ends escapes; what
 * leaks while the JVM shuts down (a broker stopped by a shutdown hook) is not checked.
 *
 * <p>Called on JUnit's thread only (tests run one at a time); the detectors it reads are
 * thread-safe.
 */
final class LeakCheck {
  /** The class whose initialization makes Netty's ByteBuf leak detector. */
  private static final String BYTE_BUF_DETECTOR_OWNER = "io.netty.buffer.AbstractByteBuf";

  private static final String BYTE_BUF = "io.netty.buffer.ByteBuf";

  /** Rounds continue while they find new reports, for at most this long. */
  private static final long ROUNDS_BUDGET_NANOS = TimeUnit.SECONDS.toNanos(5);

  /** How long a full collection may take to clear an unreachable object before we give up. */
  private static final long COLLECTION_WAIT_MILLIS = 10_000;

  /** Reports printed in full in a failure; the rest are counted. */
  private static final int REPORTS_SHOWN = 5;

  private static final LeakLedger LEDGER = new LeakLedger();
  private static final RecordingLeakDetectorFactory FACTORY = install();

  /** The tracked allocations the ledger counted that were this class's own polls. */
  private static long ownPolls;

  /** The tracked allocations by others when the last collection started. */
  private static long othersAtLastCollection;

  private LeakCheck() {}

  /** Names what runs from now on, for the hint of each allocation; returns what ran before. */
  static String enter(String what) {
    return LEDGER.enter(what);
  }

  /**
   * Fails with the reports, found by now, of objects allocated while {@code test} ran and collected
   * without release(); reports of other objects are left to the check after the class.
   */
  static synchronized void verifyAfterTest(String test) {
    if (ResourceLeakDetector.getLevel() == ResourceLeakDetector.Level.DISABLED) {
      return;
    }
    poll();
    fail(test, LEDGER.drainAllocatedDuring(test));
  }

  /**
   * Collects, then fails with every report held: of objects allocated by the class's fixtures or
   * tests, or earlier, and collected without release(). {@code fixtures} names the class.
   */
  static synchronized void verifyAfterClass(String fixtures) throws InterruptedException {
    if (ResourceLeakDetector.getLevel() == ResourceLeakDetector.Level.DISABLED) {
      return;
    }
    long others = LEDGER.trackedCount() - ownPolls;
    if (others != othersAtLastCollection) {
      othersAtLastCollection = others;
      collect();
    } else {
      poll();
    }
    fail(fixtures, LEDGER.drain());
  }

  /**
   * Collects until a collection brings no new report, at least twice. A collection clears the
   * trackers of all the objects unreachable when it starts, and the reference handler thread then
   * queues them one by one, in no set order, so the wait for the collection's own weak reference
   * (see {@link #collectGarbage}) may end before a leaked object's tracker is queued. The handler
   * takes all the references one collection cleared before it takes the next one's: once the wait
   * of the next collection ends, every tracker the previous one cleared is queued, and the poll
   * reports it.
   */
  private static void collect() throws InterruptedException {
    long deadline = System.nanoTime() + ROUNDS_BUDGET_NANOS;
    collectGarbage();
    int before;
    do {
      before = LEDGER.pending();
      collectGarbage();
      poll();
    } while (LEDGER.pending() > before && System.nanoTime() - deadline < 0);
  }

  private static void poll() {
    ownPolls += FACTORY.pollAll();
  }

  /**
   * A full collection, returning once the reference handler has queued a weak reference to an
   * object made unreachable before it: the handler is then queueing the references the collection
   * cleared, the trackers of leaked objects among them.
   */
  private static void collectGarbage() throws InterruptedException {
    ReferenceQueue<Object> cleared = new ReferenceQueue<>();
    WeakReference<Object> sentinel = new WeakReference<>(new Object(), cleared);
    System.gc();
    Reference<?> queued = cleared.remove(COLLECTION_WAIT_MILLIS);
    Reference.reachabilityFence(sentinel);
    if (queued == null) {
      throw new IllegalStateException(
          "System.gc() cleared no weak reference within "
              + COLLECTION_WAIT_MILLIS
              + " ms (is -XX:+DisableExplicitGC set?): Netty leaks cannot be checked");
    }
  }

  private static void fail(String after, List<LeakReport> leaks) {
    if (!leaks.isEmpty()) {
      throw new AssertionError(failure(after, leaks));
    }
  }

  private static String failure(String after, List<LeakReport> leaks) {
    StringBuilder text =
        new StringBuilder()
            .append(leaks.size())
            .append(" Netty object(s) leaked, found after ")
            .append(after)
            .append(": collected without release(). Each report's 'Created at' says where the")
            .append(" object was allocated (its 'Hint' names the test or fixture then running),")
            .append(" #1 where it was last touched.\nAllocated during: ")
            .append(
                leaks.stream()
                    .collect(
                        Collectors.groupingBy(
                            LeakReport::allocatedDuring, LinkedHashMap::new, Collectors.counting()))
                    .entrySet()
                    .stream()
                    .map(e -> e.getKey() + " (" + e.getValue() + ")")
                    .collect(Collectors.joining(", ")));
    for (int i = 0; i < Math.min(leaks.size(), REPORTS_SHOWN); i++) {
      LeakReport leak = leaks.get(i);
      text.append("\n\nLEAK ")
          .append(i + 1)
          .append(" of ")
          .append(leaks.size())
          .append(": ")
          .append(leak.resourceType())
          .append(" allocated during ")
          .append(leak.allocatedDuring())
          .append('\n')
          .append(leak.records().strip());
    }
    if (leaks.size() > REPORTS_SHOWN) {
      text.append("\n\n... and ").append(leaks.size() - REPORTS_SHOWN).append(" more reports.");
    }
    return text.toString();
  }

  /**
   * Installs the recording factory, then makes Netty create the ByteBuf detector (if Netty's
   * buffers are on the classpath) and checks that it is a recording one: a buffer class initialized
   * earlier would have kept a logging detector, and leaks would only be logged again.
   */
  private static RecordingLeakDetectorFactory install() {
    RecordingLeakDetectorFactory factory = new RecordingLeakDetectorFactory(LEDGER);
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(factory);
    try {
      Class.forName(BYTE_BUF_DETECTOR_OWNER, true, LeakCheck.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      return factory; // no Netty buffers on this classpath: none can leak
    }
    if (!factory.made(BYTE_BUF)) {
      throw new IllegalStateException(
          "Netty's ByteBuf leak detector was made before the leak check was installed: a buffer"
              + " class was initialized before JUnit loaded LeakCheckExtension");
    }
    return factory;
  }
}
