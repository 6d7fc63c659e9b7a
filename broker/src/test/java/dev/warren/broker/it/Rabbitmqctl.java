package dev.warren.broker.it;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code rabbitmqctl} for the real RabbitMQ that {@code -Dbroker.external} names, given as {@code
 * -Dbroker.rabbitmqctl="rabbitmqctl -n node"}: how tests that set users, permissions or policies
 * administer RabbitMQ when they aim at it, so that the same expectations are checked on both.
 */
public final class Rabbitmqctl {
  private static final String COMMAND = System.getProperty("broker.rabbitmqctl", "").trim();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A command that exited non-zero: its exit status and everything it printed. */
  public static final class Failed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String output;

    Failed(List<String> line, int exit, String output) {
      super(line + " failed (" + exit + "): " + output);
      this.output = output;
    }

    public String output() {
      return output;
    }
  }

  private final List<String> command;

  private Rabbitmqctl(String command) {
    this.command = Arrays.asList(command.split("\\s+"));
  }

  /** The configured command, when the tests aim at a RabbitMQ they can administer. */
  public static Optional<Rabbitmqctl> configured() {
    return COMMAND.isEmpty() ? Optional.empty() : Optional.of(new Rabbitmqctl(COMMAND));
  }

  /** Runs one command quietly ({@code -q}); throws {@link Failed} when it exits non-zero. */
  public void run(String... args) {
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
    if (exit != 0) {
      throw new Failed(line, exit, output);
    }
  }

  /** Runs a command that removes something which need not be there. */
  public void runIgnoringAbsent(String... args) {
    try {
      run(args);
    } catch (Failed e) {
      if (!e.output().contains("does not exist") && !e.output().contains("no_such_user")) {
        throw e;
      }
    }
  }

  /** A value as the JSON argument rabbitmqctl takes (definitions, limits, parameters). */
  public static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
