package dev.warren.broker.policy;

import com.rabbitmq.client.ConnectionFactory;
import dev.warren.broker.it.TestBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real RabbitMQ (the one {@code broker.external} names), administered with {@code rabbitmqctl}:
 * policies and operator policies in "/", limits in a vhost made for the tests.
 */
final class RabbitmqctlAdmin implements PolicyAdmin {
  private static final String LIMITS_VHOST = "policy-limits-it";
  private static final String VALIDATION_FAILED = "Validation failed";

  private final List<String> command;

  RabbitmqctlAdmin(String command) {
    this.command = Arrays.asList(command.split("\\s+"));
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
    try {
      run(args);
    } catch (IllegalStateException e) {
      if (!e.getMessage().contains("does not exist")) {
        throw e;
      }
    }
  }

  /** Runs one rabbitmqctl command; its refusal becomes {@link PolicyAdmin.Refused}. */
  private void run(String... args) {
    List<String> line = new ArrayList<>(command);
    line.add("-q");
    line.addAll(Arrays.asList(args));
    String output;
    int exit;
    try {
      Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
      output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("rabbitmqctl did not finish: " + line);
      }
      exit = p.exitValue();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + line, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (exit == 0) {
      return;
    }
    int at = output.indexOf(VALIDATION_FAILED);
    if (at >= 0) {
      throw new Refused(output.substring(at + VALIDATION_FAILED.length()).strip());
    }
    throw new IllegalStateException(line + " failed (" + exit + "): " + output);
  }

  /** JSON of the maps, strings, numbers and booleans the tests use. */
  static String json(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String s) {
      return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
    if (value instanceof Map<?, ?> map) {
      StringBuilder out = new StringBuilder("{");
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.append(out.length() > 1 ? "," : "").append(json(String.valueOf(e.getKey())));
        out.append(':').append(json(e.getValue()));
      }
      return out.append('}').toString();
    }
    if (value instanceof List<?> list) {
      StringBuilder out = new StringBuilder("[");
      for (Object item : list) {
        out.append(out.length() > 1 ? "," : "").append(json(item));
      }
      return out.append(']').toString();
    }
    return value.toString();
  }
}
