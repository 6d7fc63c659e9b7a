package dev.warren.broker.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.InetAddress;
import java.time.Duration;

/**
 * Slows down guessing passwords: after failed logins from an address, the next login from that
 * address is checked only after a delay that doubles with each failure (200 ms, 400 ms, ... up to 5
 * s) and is forgotten a minute after the last failure or at the first success. Logins from other
 * addresses are not delayed. AMQP logins wait out the delay ({@link #delayMillis}); management
 * requests, which must not hold a worker thread, are refused while it runs ({@link #waitMillis}).
 * Thread-safe.
 */
public final class LoginThrottle {
  static final long FIRST_DELAY_MILLIS = 200;
  static final long MAX_DELAY_MILLIS = 5_000;

  /** How many logins from one address failed, and when the last did. */
  private record Failures(int count, long lastNanos) {}

  /** Failures per address; bounded, so a flood of addresses cannot grow it without end. */
  private final Cache<InetAddress, Failures> failures =
      Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(1)).maximumSize(100_000).build();

  /** How long a login from this address waits before it is checked; 0 for none. */
  public long delayMillis(InetAddress address) {
    Failures failed = failures.getIfPresent(address);
    return failed == null ? 0 : delay(failed);
  }

  private static long delay(Failures failed) {
    return Math.min(MAX_DELAY_MILLIS, FIRST_DELAY_MILLIS << Math.min(failed.count() - 1, 10));
  }

  /**
   * How much of the delay {@link #delayMillis} gives is left since the address's last failure; 0
   * when none. A login that comes before it has passed is refused without looking at the password.
   */
  public long waitMillis(InetAddress address) {
    Failures failed = failures.getIfPresent(address);
    if (failed == null) {
      return 0;
    }
    long sinceMillis = (System.nanoTime() - failed.lastNanos()) / 1_000_000;
    return Math.max(0, delay(failed) - sinceMillis);
  }

  public void failed(InetAddress address) {
    long now = System.nanoTime();
    failures
        .asMap()
        .merge(address, new Failures(1, now), (was, one) -> new Failures(was.count() + 1, now));
  }

  public void succeeded(InetAddress address) {
    failures.invalidate(address);
  }
}
