package dev.warren.broker.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.broker.it.Poll;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Failed logins hold their address off for a delay that doubles, and only that address. */
class LoginThrottleTest {
  private final LoginThrottle throttle = new LoginThrottle();

  @Test
  void anAddressIsHeldOffAfterAFailureUntilItsDelayHasPassed() throws Exception {
    InetAddress guesser = InetAddress.getByName("192.0.2.1");
    InetAddress other = InetAddress.getByName("192.0.2.2");
    throttle.failed(guesser);
    assertEquals(200, throttle.delayMillis(guesser));
    assertTrue(throttle.waitMillis(guesser) > 0, "refused at once after the failure");
    assertEquals(0, throttle.waitMillis(other));
    assertEquals(0, throttle.delayMillis(other));

    Poll.until(Duration.ofSeconds(2), () -> throttle.waitMillis(guesser) == 0, "the delay to pass");
    throttle.failed(guesser);
    assertEquals(400, throttle.delayMillis(guesser), "doubled");
    long left = throttle.waitMillis(guesser);
    assertTrue(left > 0 && left <= 400, left + " ms left");

    throttle.succeeded(guesser);
    assertEquals(0, throttle.waitMillis(guesser));
    assertEquals(0, throttle.delayMillis(guesser));
  }
}
