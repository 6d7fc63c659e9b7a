package dev.warren.broker.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Connection;
import dev.warren.broker.Broker;
import dev.warren.broker.it.Poll;
import dev.warren.broker.it.TestBroker;
import dev.warren.broker.it.TestPki;
import dev.warren.broker.tls.TlsConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker with an AMQPS listener as the management API shows it: the {@code amqp/ssl} listener in
 * the overview, and each connection's {@code ssl} flag and what its TLS handshake agreed on, in
 * RabbitMQ's names. In-process only (its own certificates and listener).
 */
class TlsOverHttpTest {
  @TempDir Path dir;

  private Broker broker;
  private TestPki pki;
  private ManagementHttp api;

  @BeforeEach
  void start() {
    assumeFalse(TestBroker.isExternal(), "the test starts a TLS broker of its own");
    pki = TestPki.in(dir.resolve("ca"), "Warren test CA");
    TlsConfig tls =
        TlsConfig.disabled().toBuilder()
            .port(0)
            .certChain(pki.serverCertFile())
            .key(pki.serverKeyFile())
            .ca(pki.caFile())
            .build();
    broker =
        Broker.start(TestBroker.inProcessConfig(dir.resolve("data")).toBuilder().tls(tls).build());
    api = ManagementHttp.guest(new InetSocketAddress("127.0.0.1", broker.managementPort()));
  }

  @AfterEach
  void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void theOverviewListsTheAmqpsListener() {
    JsonNode listeners = api.get("/api/overview").json().path("listeners");
    assertTrue(
        StreamSupport.stream(listeners.spliterator(), false)
            .anyMatch(
                l ->
                    l.path("protocol").asText().equals("amqp/ssl")
                        && l.path("port").asInt() == broker.amqpsPort()),
        listeners.toString());
  }

  @Test
  void aTlsConnectionShowsWhatItsHandshakeAgreedOnAndAPlainOneShowsNone() throws Exception {
    InetSocketAddress amqps = InetSocketAddress.createUnresolved("127.0.0.1", broker.amqpsPort());
    try (Connection overTls =
            TestBroker.tlsConnectionFactory(amqps, pki.clientContext(null, "TLSv1.2"))
                .newConnection("over-tls");
        Connection plain =
            TestBroker.connectionFactory("127.0.0.1", broker.amqpPort()).newConnection("plain")) {
      assertTrue(overTls.isOpen() && plain.isOpen());
      JsonNode tls = listed("over-tls");
      assertTrue(tls.path("ssl").asBoolean(), tls.toString());
      assertEquals("tlsv1.2", tls.path("ssl_protocol").asText());
      assertTrue(tls.path("ssl_key_exchange").asText().startsWith("ecdhe_"), tls.toString());
      assertTrue(
          tls.path("ssl_cipher").asText().matches("aes_(128|256)_gcm|chacha20_poly1305"),
          tls.toString());
      assertTrue(tls.path("ssl_hash").asText().matches("sha(256|384)"), tls.toString());
      JsonNode clear = listed("plain");
      assertFalse(clear.path("ssl").asBoolean());
      assertTrue(clear.path("ssl_protocol").isNull(), clear.toString());
      assertTrue(clear.path("ssl_cipher").isNull(), clear.toString());
    }
  }

  /** The connection whose client named it so, once listed. */
  private JsonNode listed(String clientName) {
    AtomicReference<JsonNode> found = new AtomicReference<>();
    Poll.until(
        Duration.ofSeconds(10),
        () -> {
          for (JsonNode c : api.get("/api/connections").json()) {
            if (clientName.equals(c.path("client_properties").path("connection_name").asText())) {
              found.set(c);
              return true;
            }
          }
          return false;
        },
        "connection " + clientName + " listed");
    return found.get();
  }
}
