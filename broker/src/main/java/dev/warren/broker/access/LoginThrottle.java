package dev.warren.broker.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.InetAddress;
import java.time.Duration;

/**
 * Slows down guessing passwords: after failed logins from an address, the next login from that
 * address is checked only after a delay that doubles with each failure (200 ms, 400 ms, ... up to 5
 * s) and is forgotten a minute after the last failure or at the first success. Logins from other
 * addresses are not delayed. Thread-safe.
 */
public final class LoginThrottle {
  static final long FIRST_DELAY_MILLIS = 200;
  static final long MAX_DELAY_MILLIS = 5_000;

  /** Failures per address; bounded, so a flood of addresses cannot grow it without end. */
  private final Cache<InetAddress, Integer> failures =
      Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(1)).maximumSize(100_000).build();

  /** How long a login from this address waits before it is checked; 0 for none. */
  public long delayMillis(InetAddress address) {
    Integer failed = failures.getIfPresent(address);
    if (failed == null) {
      return 0;
    }
    return Math.min(MAX_DELAY_MILLIS, FIRST_DELAY_MILLIS << Math.min(failed - 1, 10));
  }

  public void failed(InetAddress address) {
    failures.asMap().merge(address, 1, Integer::sum);
  }

  public void succeeded(InetAddress address) {
    failures.invalidate(address);
  }
}
