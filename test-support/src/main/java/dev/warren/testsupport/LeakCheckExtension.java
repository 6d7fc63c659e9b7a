package dev.warren.testsupport;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

/**
 * Fails a test or a test class when Netty objects (buffers above all) were collected without
 * release(), with Netty's records of where each was created, during which test, and where it was
 * last touched: a test for the leaks of its own objects found by its end, a class for every leak
 * found by its end, after the collections that {@link LeakCheck} forces there.
 *
 * <p>Registered for every test of a module by JUnit's extension auto-detection ({@code
 * META-INF/services} here, {@code junit.jupiter.extensions.autodetection.enabled=true} in the
 * module's {@code src/test/resources/junit-platform.properties}). Being registered before any
 * {@code @ExtendWith} extension, its before-callbacks run first and its after-callbacks last: the
 * check after a test sees what its {@code @AfterEach} methods and other extensions released.
 *
 * <p>Tests must run one at a time (JUnit's default): the name of the test running is global.
 */
public final class LeakCheckExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {
  private static final Namespace NAMESPACE = Namespace.create(LeakCheckExtension.class);
  private static final String BEFORE = "running before";

  @Override
  public void beforeAll(ExtensionContext context) {
    enter(context, classFixtures(context));
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    enter(context, testName(context));
  }

  @Override
  public void afterEach(ExtensionContext context) throws InterruptedException {
    try {
      LeakCheck.verifyAfterTest(testName(context));
    } finally {
      leave(context);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    try {
      LeakCheck.verifyAfterClass(classFixtures(context));
    } finally {
      leave(context);
    }
  }

  private static void enter(ExtensionContext context, String what) {
    context.getStore(NAMESPACE).put(BEFORE, LeakCheck.enter(what));
  }

  private static void leave(ExtensionContext context) {
    LeakCheck.enter(context.getStore(NAMESPACE).get(BEFORE, String.class));
  }

  private static String classFixtures(ExtensionContext context) {
    return context.getRequiredTestClass().getSimpleName() + " (class fixtures)";
  }

  /** {@code Class.method}, with the display name of a parameterized or repeated invocation. */
  private static String testName(ExtensionContext context) {
    String method = context.getRequiredTestMethod().getName();
    String name = context.getRequiredTestClass().getSimpleName() + "." + method;
    String display = context.getDisplayName();
    return display.startsWith(method + "(") ? name : name + " " + display;
  }
}
