package dev.warren.broker.policy;

import com.rabbitmq.client.ConnectionFactory;
import dev.warren.broker.Broker;
import dev.warren.broker.access.User;
import dev.warren.broker.it.TestBroker;
import dev.warren.persistence.definitions.PutUser;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** A Warren broker of the test's own, administered through its Java entry (Warren-only). */
final class WarrenAdmin implements PolicyAdmin {
  private final Path dataDir;
  private Broker broker;

  WarrenAdmin(Path dataDir) {
    this.dataDir = dataDir;
    this.broker = Broker.start(TestBroker.inProcessConfig(dataDir));
  }

  Broker broker() {
    return broker;
  }

  /** Stops the broker and starts it again on the same data directory. */
  void restart() {
    broker.close();
    broker = Broker.start(TestBroker.inProcessConfig(dataDir));
  }

  @Override
  public ConnectionFactory factory(String vhost) {
    ConnectionFactory f = TestBroker.connectionFactory("127.0.0.1", broker.amqpPort());
    f.setVirtualHost(vhost);
    return f;
  }

  @Override
  public String limitsVhost() {
    return "/";
  }

  @Override
  public void setPolicy(
      String name, String pattern, String applyTo, int priority, Map<String, Object> definition) {
    join(() -> broker.policyChanges().putPolicy("/", name, pattern, applyTo, priority, definition));
  }

  @Override
  public void clearPolicy(String name) {
    join(() -> broker.policyChanges().deletePolicy("/", name));
  }

  @Override
  public void setOperatorPolicy(
      String name, String pattern, String applyTo, int priority, Map<String, Object> definition) {
    join(
        () ->
            broker
                .policyChanges()
                .putOperatorPolicy("/", name, pattern, applyTo, priority, definition));
  }

  @Override
  public void clearOperatorPolicy(String name) {
    join(() -> broker.policyChanges().deleteOperatorPolicy("/", name));
  }

  @Override
  public void setVhostLimits(String vhost, Map<String, Object> limits) {
    join(() -> broker.policyChanges().setVhostLimits(vhost, limits));
  }

  @Override
  public void clearVhostLimits(String vhost) {
    join(() -> broker.policyChanges().clearVhostLimits(vhost));
  }

  @Override
  public void setGuestConnectionLimit(long limit) {
    User guest = broker.access().user("guest").orElseThrow();
    Map<String, Long> limits = new HashMap<>();
    if (limit >= 0) {
      limits.put("max-connections", limit);
    }
    join(
        () ->
            broker
                .accessChanges()
                .putUser(
                    new PutUser(
                        "guest",
                        guest.passwordHash(),
                        guest.hashingAlgorithm(),
                        guest.tags(),
                        limits)));
  }

  @Override
  public void setGlobalParameter(String name, Object value) {
    join(() -> broker.policyChanges().putGlobalParameter(name, value));
  }

  @Override
  public void clearGlobalParameter(String name) {
    join(() -> broker.policyChanges().deleteGlobalParameter(name));
  }

  @Override
  public void close() {
    broker.close();
  }

  /** Runs a change and waits for it; a refusal becomes {@link PolicyAdmin.Refused}. */
  private static void join(java.util.function.Supplier<CompletableFuture<?>> change) {
    try {
      change.get().join();
    } catch (PolicyException e) {
      throw new Refused(e.reason());
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }
}
