package dev.warren.broker.it;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.warren.broker.Broker;
import dev.warren.broker.BrokerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Assumptions;

/**
 * The broker every test in this package talks to.
 *
 * <p>If the system property {@code broker.external} is non-empty ({@code host:port}), tests aim at
 * that broker, typically a real RabbitMQ, to prove that our expectations are RabbitMQ's. Otherwise
 * Warren is started in-process once per JVM, on port 0 with a temporary data directory, lazily on
 * first use, and stopped by a shutdown hook. Its management API listens on a port of its own
 * ({@link #managementAddress()}); an external broker's is given by {@code
 * broker.external.management} ({@code host:port}).
 *
 * <p>TLS tests start brokers of their own. Against an external broker they run when {@code
 * broker.external.amqps} ({@code host:port}) names its TLS listener, {@code broker.external.pki}
 * the directory of the CA it trusts ({@link TestPki} reuses the CA found there), and {@code
 * broker.external.amqps.verify} how it treats client certificates ({@code verify_peer}, the
 * default, {@code fail_if_no_peer_cert} or {@code verify_none}; tests of the other two are
 * skipped).
 *
 * <p>Thread-safe: the first caller starts the broker, the others wait for it.
 */
public final class TestBroker {
  /** Read once; the parent pom passes it through surefire. */
  private static final String EXTERNAL = System.getProperty("broker.external", "").trim();

  /** The external broker's management API ({@code host:port}); empty when it has none. */
  private static final String EXTERNAL_MANAGEMENT =
      System.getProperty("broker.external.management", "").trim();

  private static final String EXTERNAL_AMQPS =
      System.getProperty("broker.external.amqps", "").trim();
  private static final String EXTERNAL_PKI = System.getProperty("broker.external.pki", "").trim();
  private static final String EXTERNAL_AMQPS_VERIFY =
      System.getProperty("broker.external.amqps.verify", "").trim();

  private static InetSocketAddress address;
  private static InetSocketAddress managementAddress;
  private static InetSocketAddress prometheusAddress;

  private TestBroker() {}

  /** Whether the tests run against a broker we did not start (e.g. RabbitMQ). */
  public static boolean isExternal() {
    return !EXTERNAL.isEmpty();
  }

  /** Host and AMQP port of the broker under test, starting ours on first use. */
  public static synchronized InetSocketAddress address() {
    if (address == null) {
      address = isExternal() ? parse(EXTERNAL) : startInProcess();
    }
    return address;
  }

  /**
   * Host and port of the management HTTP API of the broker under test: ours (started on first use),
   * or the external one's given by {@code broker.external.management}.
   *
   * @throws org.opentest4j.TestAbortedException when the tests aim at an external broker whose
   *     management API was not given: a test that needs it is skipped
   */
  public static synchronized InetSocketAddress managementAddress() {
    address();
    if (managementAddress == null) {
      Assumptions.assumeFalse(
          EXTERNAL_MANAGEMENT.isEmpty(), "-Dbroker.external.management=host:port not given");
      managementAddress = parse(EXTERNAL_MANAGEMENT);
    }
    return managementAddress;
  }

  /**
   * Host and port of the Prometheus metrics of our broker (started on first use).
   *
   * @throws org.opentest4j.TestAbortedException when the tests aim at an external broker: the
   *     text-format parser the metrics tests use refuses RabbitMQ 3.10's scrapes (a {@code TYPE
   *     untyped} line before its {@code HELP}), so they were compared with RabbitMQ by hand
   *     (broker/README.md, Tests)
   */
  public static synchronized InetSocketAddress prometheusAddress() {
    address();
    Assumptions.assumeFalse(isExternal(), "the metrics tests run against our broker only");
    return prometheusAddress;
  }

  /** The external broker's TLS listener, when one is named. */
  public static Optional<InetSocketAddress> externalAmqps() {
    return EXTERNAL_AMQPS.isEmpty() ? Optional.empty() : Optional.of(parse(EXTERNAL_AMQPS));
  }

  /**
   * How the external broker's TLS listener treats client certificates, as RabbitMQ's settings say
   * it: {@code verify_peer}, {@code fail_if_no_peer_cert} or {@code verify_none}.
   */
  public static String externalAmqpsVerify() {
    return EXTERNAL_AMQPS_VERIFY.isEmpty() ? "verify_peer" : EXTERNAL_AMQPS_VERIFY;
  }

  /** The directory of the CA the external broker's TLS listener trusts. */
  public static Path externalPki() {
    if (EXTERNAL_PKI.isEmpty()) {
      throw new IllegalStateException("broker.external.amqps needs broker.external.pki (a dir)");
    }
    return Path.of(EXTERNAL_PKI);
  }

  /** A factory for guest/guest on vhost "/", without automatic recovery and with short timeouts. */
  public static ConnectionFactory connectionFactory() {
    InetSocketAddress a = address();
    return connectionFactory(a.getHostString(), a.getPort());
  }

  /** The same for a broker of the test's own (a second in-process one, a child process). */
  public static ConnectionFactory connectionFactory(String host, int port) {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(host);
    factory.setPort(port);
    factory.setUsername("guest");
    factory.setPassword("guest");
    factory.setVirtualHost("/");
    factory.setAutomaticRecoveryEnabled(false);
    factory.setTopologyRecoveryEnabled(false);
    factory.setConnectionTimeout(5_000);
    factory.setHandshakeTimeout(5_000);
    factory.setChannelRpcTimeout(10_000);
    return factory;
  }

  /**
   * The same for a TLS listener: the client trusts what {@code tls} trusts, presents its
   * certificate if it has one, and checks the broker's certificate names the host.
   */
  public static ConnectionFactory tlsConnectionFactory(InetSocketAddress amqps, SSLContext tls) {
    ConnectionFactory factory = connectionFactory(amqps.getHostString(), amqps.getPort());
    factory.useSslProtocol(tls);
    factory.enableHostnameVerification();
    return factory;
  }

  /** A new connection with {@link #connectionFactory()}; the caller closes it. */
  public static Connection newConnection() throws IOException, TimeoutException {
    return connectionFactory().newConnection();
  }

  private static InetSocketAddress parse(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("broker.external must be host:port, got " + hostPort);
    }
    return InetSocketAddress.createUnresolved(
        hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }

  /**
   * The configuration of the in-process broker: ports 0, data in {@code dataDir}. Tests that need a
   * broker of their own with one setting changed start from here.
   */
  public static BrokerConfig inProcessConfig(Path dataDir) {
    return BrokerConfig.defaults().toBuilder()
        .amqpPort(0)
        .managementPort(0)
        .prometheusPort(0)
        .dataDir(dataDir)
        // Two loops whatever the machine: publisher, queue and consumer on different
        // threads is the case the suite must cover (SingleEventLoopTest covers one).
        .ioThreads(2)
        // RabbitMQ 3.10's max_message_size, the RabbitMQ the suite is checked against; the
        // default (16 MiB, as RabbitMQ 4) has its own test.
        .maxMessageSize(128L * 1024 * 1024)
        .build();
  }

  private static InetSocketAddress startInProcess() {
    Path dataDir;
    try {
      dataDir = Files.createTempDirectory("warren-it-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Broker broker = Broker.start(inProcessConfig(dataDir));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  broker.close();
                  deleteRecursively(dataDir);
                },
                "warren-it-broker-stop"));
    managementAddress = InetSocketAddress.createUnresolved("127.0.0.1", broker.managementPort());
    prometheusAddress = InetSocketAddress.createUnresolved("127.0.0.1", broker.prometheusPort());
    return InetSocketAddress.createUnresolved("127.0.0.1", broker.amqpPort());
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Best effort at JVM exit: a leftover temp directory is harmless.
    }
  }
}
