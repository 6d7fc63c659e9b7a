package dev.warren.broker.policy;

import com.rabbitmq.client.ConnectionFactory;
import dev.warren.broker.it.Rabbitmqctl;
import dev.warren.broker.it.TestBroker;
import java.util.Map;

/**
 * A real RabbitMQ (the one {@code broker.external} names), administered with {@code rabbitmqctl}:
 * policies and operator policies in "/", limits in a vhost made for the tests.
 */
final class RabbitmqctlAdmin implements PolicyAdmin {
  private static final String LIMITS_VHOST = "policy-limits-it";
  private static final String VALIDATION_FAILED = "Validation failed";

  private final Rabbitmqctl rabbitmqctl;

  RabbitmqctlAdmin(Rabbitmqctl rabbitmqctl) {
    this.rabbitmqctl = rabbitmqctl;
    run("add_vhost", LIMITS_VHOST);
    run("set_permissions", "-p", LIMITS_VHOST, "guest", ".*", ".*", ".*");
  }

  @Override
  public ConnectionFactory factory(String vhost) {
    ConnectionFactory f = TestBroker.connectionFactory();
    f.setVirtualHost(vhost);
    return f;
  }

  @Override
  public String limitsVhost() {
    return LIMITS_VHOST;
  }

  @Override
  public void setPolicy(
      String name, String pattern, String applyTo, int priority, Map<String, Object> definition) {
    run(
        "set_policy",
        "--apply-to",
        applyTo,
        "--priority",
        String.valueOf(priority),
        name,
        pattern,
        json(definition));
  }

  @Override
  public void clearPolicy(String name) {
    clear("clear_policy", name);
  }

  @Override
  public void setOperatorPolicy(
      String name, String pattern, String applyTo, int priority, Map<String, Object> definition) {
    run(
        "set_operator_policy",
        "--apply-to",
        applyTo,
        "--priority",
        String.valueOf(priority),
        name,
        pattern,
        json(definition));
  }

  @Override
  public void clearOperatorPolicy(String name) {
    clear("clear_operator_policy", name);
  }

  @Override
  public void setVhostLimits(String vhost, Map<String, Object> limits) {
    run("set_vhost_limits", "-p", vhost, json(limits));
  }

  @Override
  public void clearVhostLimits(String vhost) {
    clear("clear_vhost_limits", "-p", vhost);
  }

  @Override
  public void setGuestConnectionLimit(long limit) {
    run("set_user_limits", "guest", "{\"max-connections\":" + limit + "}");
  }

  @Override
  public void setGlobalParameter(String name, Object value) {
    run("set_global_parameter", name, json(value));
  }

  @Override
  public void clearGlobalParameter(String name) {
    clear("clear_global_parameter", name);
  }

  @Override
  public void close() {
    run("delete_vhost", LIMITS_VHOST);
  }

  /** Clears something, which need not be there (as Warren's deletes). */
  private void clear(String... args) {
    rabbitmqctl.runIgnoringAbsent(args);
  }

  /** Runs one rabbitmqctl command; its refusal becomes {@link PolicyAdmin.Refused}. */
  private void run(String... args) {
    try {
      rabbitmqctl.run(args);
    } catch (Rabbitmqctl.Failed e) {
      int at = e.output().indexOf(VALIDATION_FAILED);
      if (at >= 0) {
        throw new Refused(e.output().substring(at + VALIDATION_FAILED.length()).strip());
      }
      throw e;
    }
  }

  private static String json(Object value) {
    return Rabbitmqctl.json(value);
  }
}
