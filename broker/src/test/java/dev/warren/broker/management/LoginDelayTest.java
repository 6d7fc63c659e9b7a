package dev.warren.broker.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.broker.Broker;
import dev.warren.broker.it.Poll;
import dev.warren.broker.it.TestBroker;
import dev.warren.broker.management.ManagementHttp.Reply;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failed logins to the management API make their address wait, as AMQP logins do (a deliberate
 * difference: RabbitMQ's API has no delay): a login within the delay is answered 429 with
 * Retry-After, not 401, so that a right password is never reported wrong. Warren only, on a broker
 * of its own, since the delay holds off every request from the address.
 */
class LoginDelayTest {
  @TempDir Path dir;

  private Broker broker;
  private InetSocketAddress api;

  @BeforeEach
  void start() {
    broker = Broker.start(TestBroker.inProcessConfig(dir));
    api = new InetSocketAddress("127.0.0.1", broker.managementPort());
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  @Test
  void afterFailedLoginsEvenTheRightPasswordWaitsOutTheDelay() {
    ManagementHttp wrong = new ManagementHttp(api, "guest", "wrong");
    ManagementHttp right = ManagementHttp.guest(api);
    Reply failed = wrong.get("/api/whoami");
    assertEquals(401, failed.status());
    assertEquals("Login failed", failed.reason());
    Poll.letTimePass(Duration.ofMillis(250)); // the first delay, 200 ms
    assertEquals(401, wrong.get("/api/whoami").status());
    Poll.letTimePass(Duration.ofMillis(450)); // the second, 400 ms

    assertEquals(401, wrong.get("/api/whoami").status()); // now 800 ms
    Reply heldOff = right.get("/api/whoami");
    assertEquals(429, heldOff.status(), "held off, right password or not: " + heldOff.body());
    assertEquals("too_many_requests", heldOff.json().path("error").asText());
    assertTrue(
        heldOff.reason().startsWith("too many failed logins from this address"), heldOff.reason());
    assertEquals(
        "1", heldOff.headers().firstValue("retry-after").orElse(null), "800 ms, rounded up");
    Poll.until(
        Duration.ofSeconds(5),
        () -> right.get("/api/whoami").status() == 200,
        "the right password accepted once the delay has passed");
    assertEquals(200, right.get("/api/whoami").status(), "a success forgets the failures");
  }
}
