package dev.warren.stress;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polling with a deadline, for conditions no callback announces. */
final class Waits {
  private static final long POLL_MILLIS = 50;

  private Waits() {}

  /** Polls {@code condition} until it holds (true) or {@code timeout} passes (false). */
  static boolean until(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      Thread.sleep(POLL_MILLIS);
    }
    return true;
  }

  /** A stop condition that turns true {@code duration} from now. */
  static BooleanSupplier after(Duration duration) {
    long deadline = System.nanoTime() + duration.toNanos();
    return () -> System.nanoTime() - deadline >= 0;
  }
}
