package dev.warren.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.broker.it.TestBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code prometheus-port}: 0 serves metrics on a free port, {@code off} serves none. */
class MetricsPortTest {
  @TempDir Path dir;

  @Test
  void portZeroServesMetricsOnAFreePort() throws Exception {
    try (Broker broker = Broker.start(TestBroker.inProcessConfig(dir))) {
      int port = broker.prometheusPort();
      assertTrue(port > 0, "bound to " + port);
      HttpResponse<String> reply =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                      .timeout(Duration.ofSeconds(20))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, reply.statusCode());
      assertTrue(reply.body().contains("\nrabbitmq_identity_info{"), reply.body());
    }
  }

  @Test
  void offServesNoMetrics() {
    BrokerConfig off =
        TestBroker.inProcessConfig(dir).toBuilder().prometheusPort(BrokerConfig.OFF).build();
    try (Broker broker = Broker.start(off)) {
      assertEquals(BrokerConfig.OFF, broker.prometheusPort());
      assertTrue(broker.amqpPort() > 0, "the broker runs without metrics");
    }
  }
}
