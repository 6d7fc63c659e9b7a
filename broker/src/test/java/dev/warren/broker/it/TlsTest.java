package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultSaslConfig;
import com.rabbitmq.client.GetResponse;
import dev.warren.broker.Broker;
import dev.warren.broker.BrokerConfig;
import dev.warren.broker.amqp.AmqpConnection;
import dev.warren.broker.it.TestPki.Identity;
import dev.warren.broker.tls.TlsConfig;
import dev.warren.broker.tls.TlsConfig.Provider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * The AMQPS listener as RabbitMQ's {@code listeners.ssl} with rabbitmq_auth_mechanism_ssl and
 * {@code ssl_cert_login_from = common_name}: TLS 1.2 and 1.3 only; client certificates checked
 * against the CA ({@code verify_peer}), optional or required ({@code fail_if_no_peer_cert}), or not
 * asked for ({@code verify_none}); SASL EXTERNAL for a client that presented one, its user named by
 * the certificate's common name; a failed handshake closes that socket only and is logged once as a
 * warning.
 *
 * <p>In-process every test runs once per provider (OpenSSL and the JDK's), on brokers of its own
 * started on first use, one per provider and way of treating client certificates. Against an
 * external broker the tests run once, when {@code broker.external.amqps}, {@code
 * broker.external.pki} and {@code broker.external.amqps.verify} say where its TLS listener is,
 * which CA it trusts and how it treats client certificates (see {@link TestBroker}); tests of
 * another treatment are skipped.
 */
class TlsTest {
  /** A fatal alert, protocol_version (RFC 5246, 7.2), in a TLS record of any version. */
  private static final int ALERT = 21;

  private static final int FATAL = 2;
  private static final int PROTOCOL_VERSION = 70;

  /** How a listener treats client certificates, in RabbitMQ's words. */
  enum Peer {
    /** A certificate is asked for, and checked if given ({@code verify_peer}). */
    VERIFY_PEER,
    /** A certificate is asked for and required ({@code fail_if_no_peer_cert = true}). */
    FAIL_IF_NO_PEER_CERT,
    /** No certificate is asked for ({@code verify_none}). */
    VERIFY_NONE
  }

  /** One in-process broker's TLS listener: provider, certificate treatment, handshake-timeout. */
  private record Listener(Provider provider, Peer peer, long handshakeTimeoutMillis) {}

  /** The handshake-timeout of the broker that tests it; the others keep the default. */
  private static final long SHORT_HANDSHAKE_TIMEOUT_MILLIS = 1_000;

  @TempDir static Path dir;

  private static TestPki pki;
  private static TestPki otherCa;
  private static final Map<Listener, Broker> brokers = new HashMap<>();
  private static final AtomicInteger dataDirs = new AtomicInteger();

  /** What the brokers' connections log; read under its own lock, which logback appends under. */
  private static final ListAppender<ILoggingEvent> connectionLog = new ListAppender<>();

  @BeforeAll
  static void makeCertificates() {
    otherCa = TestPki.in(dir.resolve("other-ca"), "Another CA");
    if (TestBroker.isExternal()) {
      if (TestBroker.externalAmqps().isPresent()) {
        pki = TestPki.in(TestBroker.externalPki(), "Warren test CA");
      }
      return;
    }
    pki = TestPki.in(dir.resolve("ca"), "Warren test CA");
    connectionLog.start();
    ((Logger) LoggerFactory.getLogger(AmqpConnection.class)).addAppender(connectionLog);
  }

  @AfterAll
  static void stopBrokers() {
    brokers.values().forEach(Broker::close);
    ((Logger) LoggerFactory.getLogger(AmqpConnection.class)).detachAppender(connectionLog);
  }

  /** The TLS listener to test; skips what an external broker cannot run. */
  private static InetSocketAddress amqps(Provider provider, Peer peer) {
    return amqps(new Listener(provider, peer, BrokerConfig.defaults().handshakeTimeoutMillis()));
  }

  private static InetSocketAddress amqps(Provider provider) {
    return amqps(provider, Peer.VERIFY_PEER);
  }

  private static synchronized InetSocketAddress amqps(Listener listener) {
    Provider provider = listener.provider();
    Peer peer = listener.peer();
    if (TestBroker.isExternal()) {
      assumeTrue(
          TestBroker.externalAmqps().isPresent(),
          "the external broker's TLS listener is not named (broker.external.amqps)");
      assumeTrue(provider == Provider.OPENSSL, "an external broker has a provider of its own");
      assumeTrue(
          TestBroker.externalAmqpsVerify().equals(peer.name().toLowerCase(Locale.ROOT)),
          "the external broker's TLS listener is " + TestBroker.externalAmqpsVerify());
      return TestBroker.externalAmqps().get();
    }
    Broker broker = brokers.computeIfAbsent(listener, TlsTest::start);
    return InetSocketAddress.createUnresolved("127.0.0.1", broker.amqpsPort());
  }

  private static Broker start(Listener listener) {
    TlsConfig tls =
        TlsConfig.disabled().toBuilder()
            .port(0)
            .certChain(pki.serverCertFile())
            .key(pki.serverKeyFile())
            .ca(pki.caFile())
            .verify(
                listener.peer() == Peer.VERIFY_NONE ? TlsConfig.Verify.NONE : TlsConfig.Verify.PEER)
            .failIfNoPeerCert(listener.peer() == Peer.FAIL_IF_NO_PEER_CERT)
            .provider(listener.provider())
            .build();
    Path data = dir.resolve("data-" + dataDirs.incrementAndGet());
    return Broker.start(
        TestBroker.inProcessConfig(data).toBuilder()
            .handshakeTimeoutMillis(listener.handshakeTimeoutMillis())
            .tls(tls)
            .build());
  }

  /**
   * A client of the listener that trusts the test CA and presents {@code client} (none if null).
   */
  private static ConnectionFactory factory(InetSocketAddress amqps, Identity client) {
    return TestBroker.tlsConnectionFactory(amqps, pki.clientContext(client, "TLS"));
  }

  @ParameterizedTest
  @EnumSource(names = {"OPENSSL", "JDK"})
  void messagesGoThroughOverTlsWithPlainLogin(Provider provider) throws Exception {
    try (Connection c = factory(amqps(provider), null).newConnection()) {
      Channel ch = c.createChannel();
      String q = ch.queueDeclare().getQueue();
      byte[] big = new byte[300_000];
      Arrays.fill(big, (byte) 'x');
      ch.basicPublish("", q, null, Messages.bytes("over TLS"));
      ch.basicPublish("", q, null, big);
      assertEquals("over TLS", Messages.text(Messages.await(ch, q, true).getBody()));
      assertArrayEquals(big, Messages.await(ch, q, true).getBody());
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"OPENSSL", "JDK"})
  void tls12AndTls13AreBothAccepted(Provider provider) throws Exception {
    for (String version : List.of("TLSv1.2", "TLSv1.3")) {
      ConnectionFactory factory =
          TestBroker.tlsConnectionFactory(amqps(provider), pki.clientContext(null, version));
      CompletableFuture<String> negotiated = new CompletableFuture<>();
      factory.setSocketConfigurator(
          socket ->
              ((SSLSocket) socket)
                  .addHandshakeCompletedListener(
                      e -> negotiated.complete(e.getSession().getProtocol())));
      try (Connection c = factory.newConnection()) {
        assertTrue(c.createChannel().isOpen());
      }
      assertEquals(version, negotiated.get(5, TimeUnit.SECONDS));
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"OPENSSL", "JDK"})
  void aTls11ClientHelloIsAnsweredWithAProtocolVersionAlert(Provider provider) throws Exception {
    InetSocketAddress address = amqps(provider);
    try (Socket s = new Socket(address.getHostString(), address.getPort())) {
      byte[] answer = answerTo(s, tls11ClientHello());
      assertTrue(answer.length >= 7, () -> "no alert, only " + Arrays.toString(answer));
      assertEquals(ALERT, answer[0], "record type");
      assertEquals(FATAL, answer[5], "alert level");
      assertEquals(PROTOCOL_VERSION, answer[6], "alert description");
      assertWarnedOnce(s.getLocalPort(), "TLS handshake failed");
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"OPENSSL", "JDK"})
  void aPlainAmqpClientOnTheTlsPortIsDroppedAndOthersAreStillServed(Provider provider)
      throws Exception {
    InetSocketAddress address = amqps(provider);
    try (Socket s = new Socket(address.getHostString(), address.getPort())) {
      byte[] answer = answerTo(s, RawAmqpClient.AMQP_0_9_1_HEADER);
      // Nothing at all, or a TLS alert: never AMQP (a protocol header or a connection.start frame).
      assertTrue(
          answer.length == 0 || answer[0] == ALERT,
          () -> "answered plain AMQP with " + Arrays.toString(answer));
      assertWarnedOnce(s.getLocalPort(), "did not speak TLS");
    }
    ConnectionFactory plain =
        TestBroker.connectionFactory(address.getHostString(), address.getPort());
    assertThrows(IOException.class, plain::newConnection);
    try (Connection c = factory(address, null).newConnection()) {
      Channel ch = c.createChannel();
      String q = ch.queueDeclare().getQueue();
      ch.basicPublish("", q, null, Messages.bytes("still served"));
      assertEquals("still served", Messages.text(Messages.await(ch, q, true).getBody()));
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"OPENSSL", "JDK"})
  void aClientThatStallsInTheTlsHandshakeIsDroppedAfterTheHandshakeTimeout(Provider provider)
      throws Exception {
    assumeFalse(TestBroker.isExternal(), "the timeout of an external broker is its own");
    InetSocketAddress address =
        amqps(new Listener(provider, Peer.VERIFY_PEER, SHORT_HANDSHAKE_TIMEOUT_MILLIS));
    try (Socket s = new Socket(address.getHostString(), address.getPort())) {
      // The first bytes of a ClientHello, and then nothing.
      byte[] answer = answerTo(s, Arrays.copyOf(tls11ClientHello(), 20));
      // Closed, at most with alerts (the JDK's engine sends user_canceled and close_notify).
      assertTrue(
          answer.length == 0 || answer[0] == ALERT, () -> "answered " + Arrays.toString(answer));
      assertWarnedOnce(s.getLocalPort(), "no connection.open within 1000 ms");
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"OPENSSL", "JDK"})
  void externalIsOfferedOnlyToAClientWithAVerifiedCertificate(Provider provider) throws Exception {
    assumeFalse(
        TestBroker.isExternal(),
        "RabbitMQ offers EXTERNAL on every TLS connection and refuses one without a certificate"
            + " at login");
    InetSocketAddress address = amqps(provider);
    assertEquals(
        List.of("AMQPLAIN", "PLAIN"), offeredMechanisms(factory(address, null)), "no certificate");
    assertEquals(
        List.of("AMQPLAIN", "EXTERNAL", "PLAIN"),
        offeredMechanisms(factory(address, pki.client("guest"))),
        "with a certificate");
  }

  @ParameterizedTest
  @EnumSource(names = {"OPENSSL", "JDK"})
  void externalIsNotOfferedWhenClientsAreNotAskedForCertificates(Provider provider)
      throws Exception {
    assumeFalse(TestBroker.isExternal(), "RabbitMQ offers EXTERNAL on every TLS connection");
    assertEquals(
        List.of("AMQPLAIN", "PLAIN"),
        offeredMechanisms(factory(amqps(provider, Peer.VERIFY_NONE), pki.client("guest"))));
  }

  @ParameterizedTest
  @EnumSource(names = {"OPENSSL", "JDK"})
  void externalLogsInAsTheUserTheCommonNameNames(Provider provider) throws Exception {
    ConnectionFactory factory = factory(amqps(provider), pki.client("guest"));
    factory.setSaslConfig(DefaultSaslConfig.EXTERNAL);
    try (Connection c = factory.newConnection()) {
      Channel ch = c.createChannel();
      String q = ch.queueDeclare().getQueue();
      // user_id must be the authenticated user's name (RabbitMQ's validated user id): the common
      // name, not the whole subject.
      ch.basicPublish(
          "", q, new AMQP.BasicProperties.Builder().userId("guest").build(), new byte[0]);
      GetResponse got = Messages.await(ch, q, true);
      assertEquals("guest", got.getProps().getUserId());
      assertEquals(
          AMQP.PRECONDITION_FAILED,
          AmqpErrors.channelErrorCode(
              ch,
              () ->
                  ch.basicPublish(
                      "",
                      q,
                      new AMQP.BasicProperties.Builder().userId("CN=guest,O=Warren tests").build(),
                      new byte[0])));
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"OPENSSL", "JDK"})
  void externalWithACommonNameThatIsNoUserIsRefusedWith403(Provider provider) {
    ConnectionFactory factory =
        factory(amqps(provider), pki.client(AmqpSession.uniqueName("nobody")));
    factory.setSaslConfig(DefaultSaslConfig.EXTERNAL);
    AuthenticationFailureException e =
        assertThrows(AuthenticationFailureException.class, factory::newConnection);
    assertEquals(
        "ACCESS_REFUSED - Login was refused using authentication mechanism EXTERNAL. For details"
            + " see the broker logfile.",
        e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(names = {"OPENSSL", "JDK"})
  void plainLoginStillWorksForAClientWithACertificate(Provider provider) throws Exception {
    Identity notAUser = pki.client(AmqpSession.uniqueName("not-a-user"));
    try (Connection c = factory(amqps(provider), notAUser).newConnection()) {
      assertTrue(c.createChannel().isOpen());
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"OPENSSL", "JDK"})
  void aClientCertificateFromAnotherCaFailsTheHandshake(Provider provider) {
    ConnectionFactory factory =
        TestBroker.tlsConnectionFactory(
            amqps(provider), pki.clientContext(otherCa.client("guest"), "TLS"));
    factory.setSaslConfig(DefaultSaslConfig.EXTERNAL);
    int port = assertRefusedInTls(factory);
    assertWarnedOnce(port, "TLS handshake failed: client certificate refused");
  }

  @ParameterizedTest
  @EnumSource(names = {"OPENSSL", "JDK"})
  void withFailIfNoPeerCertAClientWithoutACertificateFailsTheHandshake(Provider provider) {
    int port = assertRefusedInTls(factory(amqps(provider, Peer.FAIL_IF_NO_PEER_CERT), null));
    assertWarnedOnce(port, "TLS handshake failed");
  }

  @ParameterizedTest
  @EnumSource(names = {"OPENSSL", "JDK"})
  void withFailIfNoPeerCertAClientWithACertificateLogsInWithExternal(Provider provider)
      throws Exception {
    ConnectionFactory factory =
        factory(amqps(provider, Peer.FAIL_IF_NO_PEER_CERT), pki.client("guest"));
    factory.setSaslConfig(DefaultSaslConfig.EXTERNAL);
    try (Connection c = factory.newConnection()) {
      assertTrue(c.createChannel().isOpen());
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"OPENSSL", "JDK"})
  void withVerifyNoneAClientCertificateIsNeitherAskedForNorChecked(Provider provider)
      throws Exception {
    // From a CA the broker does not trust: verify_peer fails such a client (test above).
    ConnectionFactory factory =
        TestBroker.tlsConnectionFactory(
            amqps(provider, Peer.VERIFY_NONE), pki.clientContext(otherCa.client("guest"), "TLS"));
    try (Connection c = factory.newConnection()) {
      assertTrue(c.createChannel().isOpen());
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"OPENSSL", "JDK"})
  void thePlainPortServesPlainClientsBesideTheTlsPort(Provider provider) throws Exception {
    amqps(provider);
    InetSocketAddress plain =
        TestBroker.isExternal()
            ? TestBroker.address()
            : InetSocketAddress.createUnresolved(
                "127.0.0.1",
                brokers
                    .get(
                        new Listener(
                            provider,
                            Peer.VERIFY_PEER,
                            BrokerConfig.defaults().handshakeTimeoutMillis()))
                    .amqpPort());
    try (Connection c =
        TestBroker.connectionFactory(plain.getHostString(), plain.getPort()).newConnection()) {
      Channel ch = c.createChannel();
      String q = ch.queueDeclare().getQueue();
      ch.basicPublish("", q, null, Messages.bytes("plain"));
      assertEquals("plain", Messages.text(Messages.await(ch, q, true).getBody()));
    }
  }

  /**
   * Expects the connection to fail in TLS: an SSLException (the broker's alert; with TLS 1.3 the
   * client learns of a refused certificate only when it reads after its side of the handshake) or a
   * reset socket, never an AMQP answer. Returns the client's local port.
   */
  private static int assertRefusedInTls(ConnectionFactory factory) {
    AtomicInteger localPort = new AtomicInteger();
    factory.setSocketConfigurator(
        socket -> {
          socket.bind(new InetSocketAddress("127.0.0.1", 0));
          localPort.set(socket.getLocalPort());
        });
    Exception e = assertThrows(Exception.class, factory::newConnection);
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLException || t instanceof SocketException) {
        return localPort.get();
      }
    }
    throw new AssertionError("expected the TLS handshake to fail", e);
  }

  /**
   * The broker logged one warning, naming the client's address and {@code text}, for the connection
   * from {@code clientPort} (in-process brokers only: an external one logs elsewhere).
   */
  private static void assertWarnedOnce(int clientPort, String text) {
    if (TestBroker.isExternal()) {
      return;
    }
    String peer = "127.0.0.1:" + clientPort + ": ";
    Poll.until(
        Duration.ofSeconds(5), () -> !linesAbout(peer).isEmpty(), "the broker to log " + peer);
    List<ILoggingEvent> lines = linesAbout(peer);
    assertEquals(1, lines.size(), () -> "logged more than once: " + lines);
    assertEquals(Level.WARN, lines.get(0).getLevel());
    assertTrue(
        lines.get(0).getFormattedMessage().contains(text), lines.get(0)::getFormattedMessage);
    assertNull(lines.get(0).getThrowableProxy(), "no stack trace");
  }

  private static List<ILoggingEvent> linesAbout(String peer) {
    synchronized (connectionLog) {
      return connectionLog.list.stream()
          .filter(e -> e.getFormattedMessage().contains(peer))
          .toList();
    }
  }

  private static List<String> offeredMechanisms(ConnectionFactory factory) throws Exception {
    CompletableFuture<List<String>> offered = new CompletableFuture<>();
    factory.setSaslConfig(
        mechanisms -> {
          offered.complete(Arrays.stream(mechanisms).sorted().toList());
          return DefaultSaslConfig.PLAIN.getSaslMechanism(mechanisms);
        });
    try (Connection c = factory.newConnection()) {
      assertNotNull(c.getServerProperties());
    }
    return offered.get(5, TimeUnit.SECONDS);
  }

  /**
   * A TLS 1.1 ClientHello (RFC 4346, 7.4.1.2): client_version 3.2, three CBC suites of that era, no
   * session, no compression, the curve and point-format extensions ECDHE needs.
   *
   * <pre>
   * record:    type 22 | version 3.1 | length:u16 | handshake
   * handshake: type 1 (client_hello) | length:u24 | version 3.2 | random[32] | session_id&lt;0&gt;
   *            | cipher_suites&lt;6&gt; | compression_methods&lt;1&gt; (null) | extensions&lt;14&gt;
   * </pre>
   */
  private static byte[] tls11ClientHello() {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {3, 2});
    body.writeBytes(new byte[32]);
    body.write(0);
    body.writeBytes(new byte[] {0, 6, (byte) 0xC0, 0x13, (byte) 0xC0, 0x09, 0x00, 0x2F});
    body.writeBytes(new byte[] {1, 0});
    // supported_groups (10): secp256r1 (23); ec_point_formats (11): uncompressed (0)
    body.writeBytes(new byte[] {0, 14, 0, 10, 0, 4, 0, 2, 0, 23, 0, 11, 0, 2, 1, 0});
    byte[] hello = body.toByteArray();
    ByteArrayOutputStream record = new ByteArrayOutputStream();
    int handshakeLength = hello.length + 4;
    record.writeBytes(
        new byte[] {22, 3, 1, (byte) (handshakeLength >> 8), (byte) handshakeLength, 1, 0});
    record.writeBytes(new byte[] {(byte) (hello.length >> 8), (byte) hello.length});
    record.writeBytes(hello);
    return record.toByteArray();
  }

  /** Sends {@code bytes} on a plain socket and returns all the broker sends until it closes. */
  private static byte[] answerTo(Socket s, byte[] bytes) throws IOException {
    s.setSoTimeout(5_000);
    s.getOutputStream().write(bytes);
    s.getOutputStream().flush();
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    InputStream in = s.getInputStream();
    byte[] buffer = new byte[512];
    try {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        answer.write(buffer, 0, n);
      }
    } catch (SocketException reset) {
      // The broker may reset rather than close: what it sent before is the answer.
    } catch (SocketTimeoutException e) {
      fail("the broker kept the socket open after " + answer.size() + " B");
    }
    return answer.toByteArray();
  }
}
