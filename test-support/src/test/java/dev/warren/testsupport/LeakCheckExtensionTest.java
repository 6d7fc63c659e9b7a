package dev.warren.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * The extension at work on test classes that leak on purpose, each run by a JUnit engine of its own
 * (the test kit), so that their failures are this suite's findings, not its failures. Surefire does
 * not run the nested classes on their own (it skips nested classes).
 */
class LeakCheckExtensionTest {

  @Test
  void aBufferCollectedBeforeItsTestEndsFailsTheTestWithWhereItWasCreated() {
    EngineExecutionResults results = run(DropsABufferAndCollects.class);

    results.testEvents().assertStatistics(s -> s.started(1).failed(1));
    String failure = failureOf(results.testEvents());
    assertTrue(
        failure.startsWith("1 Netty object(s) leaked, found after DropsABufferAndCollects.dropsIt"),
        failure);
    assertTrue(
        failure.contains("LEAK 1 of 1: ByteBuf allocated during DropsABufferAndCollects.dropsIt"),
        failure);
    assertTrue(failure.contains("Created at:"), failure);
    assertTrue(failure.contains("Hint: allocated during DropsABufferAndCollects.dropsIt"), failure);
    assertTrue(failure.contains("DropsABufferAndCollects.allocateAndDrop"), failure);
    results.containerEvents().assertStatistics(s -> s.failed(0));
  }

  @Test
  void aBufferAllocatedOnAnotherThreadNamesTheTestThatWasRunning() {
    Events tests = run(DropsABufferOnAnotherThread.class).testEvents();

    tests.assertStatistics(s -> s.started(1).failed(1));
    String failure = failureOf(tests);
    assertTrue(
        failure.contains("Hint: allocated during DropsABufferOnAnotherThread.dropsItElsewhere"),
        failure);
  }

  @Test
  void aLeakFoundOnlyAfterItsTestFailsTheClassNamingTheTest() {
    EngineExecutionResults results = run(LeaksThroughItsTestInstance.class);

    results.testEvents().assertStatistics(s -> s.started(2).succeeded(2));
    Events classes = results.containerEvents();
    classes.assertStatistics(s -> s.failed(1));
    String failure = failureOf(classes);
    assertTrue(
        failure.contains("found after LeaksThroughItsTestInstance (class fixtures)"), failure);
    assertTrue(
        failure.contains("ByteBuf allocated during LeaksThroughItsTestInstance.holdsItAndForgets"),
        failure);
  }

  @Test
  void aClassFixtureThatDropsABufferFailsTheClass() {
    EngineExecutionResults results = run(ClassFixtureDropsABuffer.class);

    results.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
    Events classes = results.containerEvents();
    classes.assertStatistics(s -> s.failed(1));
    String failure = failureOf(classes);
    assertTrue(failure.contains("found after ClassFixtureDropsABuffer (class fixtures)"), failure);
    assertTrue(
        failure.contains("Hint: allocated during ClassFixtureDropsABuffer (class fixtures)"),
        failure);
  }

  @Test
  void testsThatReleaseWhatTheyAllocatePass() {
    EngineExecutionResults results = run(ReleasesItsBuffers.class);

    results.testEvents().assertStatistics(s -> s.started(2).succeeded(2).failed(0));
    results.containerEvents().assertStatistics(s -> s.failed(0));
  }

  private static EngineExecutionResults run(Class<?> testClass) {
    return EngineTestKit.engine("junit-jupiter")
        .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
        .selectors(selectClass(testClass))
        .execute();
  }

  private static String failureOf(Events events) {
    List<Event> failed = events.failed().list();
    assertEquals(1, failed.size(), "failed events");
    return failed
        .get(0)
        .getPayload(TestExecutionResult.class)
        .flatMap(TestExecutionResult::getThrowable)
        .map(Throwable::getMessage)
        .orElse("");
  }

  /**
   * Collects so that the tracker of every object unreachable now is queued when this returns: two
   * full collections, each followed by a wait until the reference handler has queued a weak
   * reference it cleared. The handler queues one collection's references in no set order, but all
   * of them before the next collection's.
   */
  private static void collectGarbage() throws InterruptedException {
    for (int i = 0; i < 2; i++) {
      ReferenceQueue<Object> cleared = new ReferenceQueue<>();
      WeakReference<Object> sentinel = new WeakReference<>(new Object(), cleared);
      System.gc();
      assertNotNull(cleared.remove(10_000), "System.gc() cleared nothing");
      Reference.reachabilityFence(sentinel);
    }
  }

  static class DropsABufferAndCollects {
    @Test
    void dropsIt() throws InterruptedException {
      allocateAndDrop();
      collectGarbage();
    }

    private static void allocateAndDrop() {
      ByteBuf buffer = Unpooled.directBuffer(16);
      buffer.writeLong(42);
    }
  }

  static class DropsABufferOnAnotherThread {
    @Test
    void dropsItElsewhere() throws InterruptedException {
      Thread other = new Thread(() -> Unpooled.directBuffer(16).writeLong(42), "other");
      other.start();
      other.join();
      collectGarbage();
    }
  }

  /**
   * The first test's buffer can be collected only once JUnit has let go of its test instance, after
   * the check that follows it; the second test collects it, but it is not the second test's leak.
   */
  @TestMethodOrder(OrderAnnotation.class)
  static class LeaksThroughItsTestInstance {
    private ByteBuf held;

    @Test
    @Order(1)
    void holdsItAndForgets() {
      held = Unpooled.directBuffer(16).writeLong(42);
    }

    @Test
    @Order(2)
    void collects() throws InterruptedException {
      assertEquals(null, held);
      collectGarbage();
    }
  }

  static class ClassFixtureDropsABuffer {
    private static ByteBuf fixture;

    @BeforeAll
    static void allocate() {
      fixture = Unpooled.directBuffer(16).writeLong(42);
    }

    @AfterAll
    static void forgetToRelease() {
      fixture = null;
    }

    @Test
    void usesTheFixture() {
      assertEquals(42, fixture.getLong(0));
    }
  }

  static class ReleasesItsBuffers {
    @Test
    void releasesOne() throws InterruptedException {
      ByteBuf buffer = Unpooled.directBuffer(16);
      buffer.writeLong(42);
      buffer.release();
      collectGarbage();
    }

    @Test
    void releasesASliceThroughItsParent() throws InterruptedException {
      ByteBuf buffer = Unpooled.buffer(16).writeLong(42);
      ByteBuf slice = buffer.retainedSlice(0, 4);
      slice.release();
      buffer.release();
      collectGarbage();
    }
  }
}
