package dev.warren.broker;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The broker as an operator runs it: {@link Launcher} in a child JVM on port 0, so that a test can
 * {@code kill -9} it and start it again on the same data directory.
 *
 * <p>A daemon thread of its own reads the child's output to the end (so the child never blocks on a
 * full pipe), completes the port when the "AMQP listening on" line appears, and keeps the last
 * lines for failure messages. The test thread owns the process.
 */
public final class ChildBroker implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("AMQP listening on .*:(\\d+) ");
  private static final int TAIL_LINES = 40;
  private static final Duration EXIT_DEADLINE = Duration.ofSeconds(10);

  private final Process process;
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private final Deque<String> tail = new ArrayDeque<>(); // guarded by itself

  private ChildBroker(Process process) {
    this.process = process;
  }

  /** Starts the broker on {@code dataDir}; fails the test unless it listens within the deadline. */
  static ChildBroker start(Path dataDir, Duration deadline) throws IOException {
    return start(dataDir, deadline, "-Xmx256m");
  }

  /**
   * As {@link #start(Path, Duration)}, with the child's memory options ({@code -Xmx...}, {@code
   * -XX:MaxDirectMemorySize=...}).
   */
  static ChildBroker start(Path dataDir, Duration deadline, String... memory) throws IOException {
    return start(dataDir, deadline, List.of(memory), List.of());
  }

  /** As {@link #start(Path, Duration, String...)}, with broker flags ({@code --key value}). */
  public static ChildBroker start(
      Path dataDir, Duration deadline, List<String> memory, List<String> flags) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(memory);
    command.addAll(
        List.of(
            "-XX:+UseSerialGC",
            "-cp",
            System.getProperty("java.class.path"),
            Launcher.class.getName(),
            "--amqp-port",
            "0",
            "--management-port",
            "0",
            "--prometheus-port",
            "0",
            "--data-dir",
            dataDir.toString()));
    command.addAll(flags);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    ChildBroker broker = new ChildBroker(process);
    Thread reader = new Thread(broker::readLog, "child-broker-log-" + process.pid());
    reader.setDaemon(true);
    reader.start();
    try {
      broker.port.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      broker.close();
      fail("the broker did not log its port within " + deadline + "; log:\n" + broker.logTail());
    } catch (ExecutionException | InterruptedException e) {
      broker.close();
      fail("the broker did not start; log:\n" + broker.logTail(), e);
    }
    return broker;
  }

  /** The AMQP port it logged. */
  public int port() {
    return port.join();
  }

  /** SIGKILL (on Linux {@code destroyForcibly} is {@code kill -9}); returns once it has exited. */
  public void kill9() throws InterruptedException {
    process.toHandle().destroyForcibly();
    assertTrue(
        process.waitFor(EXIT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS),
        "the broker did not exit within " + EXIT_DEADLINE + " of SIGKILL");
  }

  /** Its last lines of output, for failure messages. */
  public String logTail() {
    synchronized (tail) {
      return String.join("\n", tail);
    }
  }

  /** Kills it if it still runs; safe to call more than once. */
  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(EXIT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void readLog() {
    try (BufferedReader log =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = log.readLine(); line != null; line = log.readLine()) {
        synchronized (tail) {
          if (tail.size() == TAIL_LINES) {
            tail.removeFirst();
          }
          tail.addLast(line);
        }
        Matcher m = LISTENING.matcher(line);
        if (!port.isDone() && m.find()) {
          port.complete(Integer.parseInt(m.group(1)));
        }
      }
      port.completeExceptionally(new IllegalStateException("the broker ended before listening"));
    } catch (IOException e) {
      port.completeExceptionally(new UncheckedIOException(e));
    }
  }
}
