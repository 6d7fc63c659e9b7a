package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;

/** Polls a condition until a deadline; for effects the broker applies asynchronously. */
public final class Poll {
  private Poll() {}

  /** A condition that may talk to the broker. */
  @FunctionalInterface
  public interface Condition {
    boolean holds() throws Exception;
  }

  /** Returns as soon as the condition holds; fails the test after {@code timeout}. */
  public static void until(Duration timeout, Condition condition, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (!condition.holds()) {
        if (System.nanoTime() > deadline) {
          fail("timed out after " + timeout + " waiting for " + what);
        }
        Thread.sleep(10);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted waiting for " + what);
    } catch (Exception e) {
      fail("error waiting for " + what, e);
    }
  }

  /**
   * Lets {@code duration} pass, for tests whose subject is time itself (a TTL that must have
   * elapsed, a lease that must not yet have run out), never to wait for the broker to catch up.
   */
  public static void letTimePass(Duration duration) {
    long end = System.nanoTime() + duration.toNanos();
    until(duration.plusSeconds(5), () -> System.nanoTime() >= end, duration + " to pass");
  }
}
