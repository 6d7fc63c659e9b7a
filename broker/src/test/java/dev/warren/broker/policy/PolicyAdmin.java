package dev.warren.broker.policy;

import com.rabbitmq.client.ConnectionFactory;
import dev.warren.broker.it.Rabbitmqctl;
import dev.warren.broker.it.TestBroker;
import java.nio.file.Path;
import java.util.Map;

/**
 * The broker the policy tests talk to, and how they set its policies, limits and parameters: by
 * Warren's Java entry ({@link WarrenAdmin}, a broker of the test class's own) or, with {@code
 * -Dbroker.external=host:port -Dbroker.rabbitmqctl="rabbitmqctl -n node"}, by {@code rabbitmqctl}
 * on a real RabbitMQ ({@link RabbitmqctlAdmin}), so that the same rules are checked against
 * RabbitMQ. A refusal comes back as {@link Refused} with RabbitMQ's reason text either way.
 */
interface PolicyAdmin extends AutoCloseable {
  /** A refused definition: RabbitMQ's reason (after "Validation failed"). */
  final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Refused(String reason) {
      super(reason);
    }

    String reason() {
      return getMessage();
    }
  }

  /**
   * Warren's, or RabbitMQ's when the tests aim at it and {@link Rabbitmqctl} is configured; null
   * when they aim at a broker this test cannot administer (the caller skips).
   */
  static PolicyAdmin open(Path dataDir) {
    if (!TestBroker.isExternal()) {
      return new WarrenAdmin(dataDir);
    }
    return Rabbitmqctl.configured().map(RabbitmqctlAdmin::new).orElse(null);
  }

  /** guest/guest on {@code vhost}. */
  ConnectionFactory factory(String vhost);

  /** guest/guest on "/". */
  default ConnectionFactory factory() {
    return factory("/");
  }

  /**
   * A virtual host of its own for tests of limits, with guest allowed everything: "/" of Warren's
   * own broker, a vhost made for them on RabbitMQ.
   */
  String limitsVhost();

  void setPolicy(
      String name, String pattern, String applyTo, int priority, Map<String, Object> definition);

  void clearPolicy(String name);

  void setOperatorPolicy(
      String name, String pattern, String applyTo, int priority, Map<String, Object> definition);

  void clearOperatorPolicy(String name);

  void setVhostLimits(String vhost, Map<String, Object> limits);

  void clearVhostLimits(String vhost);

  /** Sets guest's own max-connections (negative: none). */
  void setGuestConnectionLimit(long limit);

  void setGlobalParameter(String name, Object value);

  void clearGlobalParameter(String name);

  @Override
  void close();
}
