package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.warren.broker.Broker;
import dev.warren.broker.BrokerConfig;
import dev.warren.broker.stats.ChannelStats;
import dev.warren.broker.stats.ConnectionStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Warren broker of the test's own for tests that read its figures (Warren-only: they read Warren
 * objects, skipped against an external broker), with heartbeats off so that no frame arrives
 * unasked, and lookups of connections and channels by the name the client gave its connection.
 * Figures are published after the owner's batch of work, so lookups poll until the figures say what
 * the test waits for, failing after {@link #WITHIN}.
 *
 * <p>Registered with {@code @RegisterExtension}; owned by the JUnit thread running the test.
 */
public final class FiguresBroker implements BeforeEachCallback, AfterEachCallback {
  static final Duration WITHIN = Duration.ofSeconds(10);

  private final List<Connection> connections = new ArrayList<>();
  private Path dataDir;
  private Broker broker;

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    assumeFalse(TestBroker.isExternal(), "Warren-only: reads Warren's figures");
    dataDir = Files.createTempDirectory("warren-figures-");
    broker = Broker.start(config(TestBroker.inProcessConfig(dataDir)));
  }

  /** The test broker's settings: heartbeats off. */
  static BrokerConfig config(BrokerConfig base) {
    return base.toBuilder().heartbeatSeconds(0).build();
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    for (Connection c : connections) {
      if (c.isOpen()) {
        c.abort(2_000);
      }
    }
    if (broker != null) {
      broker.close();
    }
    if (dataDir != null) {
      try (Stream<Path> paths = Files.walk(dataDir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  Broker broker() {
    return broker;
  }

  /** A factory for this broker, heartbeats off on the client's side too. */
  ConnectionFactory factory() {
    ConnectionFactory f = TestBroker.connectionFactory("127.0.0.1", broker.amqpPort());
    f.setRequestedHeartbeat(0);
    return f;
  }

  /** A connection the client names {@code name} (its connection_name); closed after the test. */
  Connection connect(String name) throws Exception {
    Connection c = factory().newConnection(name);
    connections.add(c);
    return c;
  }

  /** The figures of the connection the client named {@code name}, once listed. */
  ConnectionStats connection(String name) {
    return awaitConnection(name, s -> true, "connection " + name + " listed");
  }

  /** The figures of the connection named {@code name} once {@code done} holds for them. */
  ConnectionStats awaitConnection(String name, Predicate<ConnectionStats> done, String what) {
    return await(() -> find(name).filter(done), what);
  }

  Optional<ConnectionStats> find(String clientName) {
    return broker.connections().connections().stream()
        .filter(s -> clientName.equals(s.info().userProvidedName()))
        .findFirst();
  }

  /** The figures of channel {@code number} of connection {@code name} once {@code done} holds. */
  ChannelStats awaitChannel(String name, int number, Predicate<ChannelStats> done, String what) {
    return await(
        () ->
            find(name)
                .flatMap(
                    c ->
                        broker.connections().channels(c.name()).stream()
                            .filter(ch -> ch.number() == number)
                            .findFirst())
                .filter(done),
        what);
  }

  /** Polls {@code lookup} until it finds something; fails the test after {@link #WITHIN}. */
  static <T> T await(Lookup<T> lookup, String what) {
    Object[] found = new Object[1];
    Poll.until(
        WITHIN,
        () -> {
          Optional<T> now = lookup.get();
          now.ifPresent(v -> found[0] = v);
          return now.isPresent();
        },
        what);
    @SuppressWarnings("unchecked")
    T value = (T) found[0];
    if (value == null) {
      fail("nothing found for " + what);
    }
    return value;
  }

  /** A lookup polled by {@link #await}. */
  @FunctionalInterface
  interface Lookup<T> {
    Optional<T> get() throws Exception;
  }
}
