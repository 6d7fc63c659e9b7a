package dev.warren.broker.management;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * difference: RabbitMQ's API has no delay). Warren only, on a broker of its own, since the delay
 * holds off every request from the address.
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
    assertEquals(401, right.get("/api/whoami").status(), "held off, right password or not");
    Poll.until(
        Duration.ofSeconds(5),
        () -> right.get("/api/whoami").status() == 200,
        "the right password accepted once the delay has passed");
    assertEquals(200, right.get("/api/whoami").status(), "a success forgets the failures");
  }
}
