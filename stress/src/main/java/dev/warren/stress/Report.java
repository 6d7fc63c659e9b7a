package dev.warren.stress;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a scenario tells bin/stress: progress lines as it goes, then one line that the script reads,
 *
 * <pre>
 * RESULT scenario=NAME verdict=pass|fail published=N confirmed=N ... [failures="..."]
 * </pre>
 *
 * and the process's exit status: 0 when the verdict is pass. A scenario fails when a confirmed
 * message was never consumed, a message came back that was never published, or a check of its own
 * does not hold. Thread: the scenario's main thread.
 */
final class Report {
  private final String scenario;
  private final Map<String, Object> figures = new LinkedHashMap<>();
  private final List<String> failures = new ArrayList<>();
  private final long started = System.nanoTime();

  Report(String scenario) {
    this.scenario = scenario;
  }

  /** A progress line, prefixed with the seconds since the scenario began. */
  void note(String format, Object... args) {
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf("[%s %6.1fs] %s%n", scenario, seconds, String.format(format, args));
    System.out.flush();
  }

  Report figure(String key, Object value) {
    figures.put(key, value);
    return this;
  }

  /** The ledger's figures; a lost confirmed message, or a stranger, fails the scenario. */
  Report counts(Ledger.Counts c) {
    figure("published", c.published());
    figure("confirmed", c.confirmed());
    figure("nacked", c.nacked());
    figure("consumed", c.consumed());
    figure("lost", c.lost());
    figure("duplicates", c.duplicates());
    figure("strangers", c.strangers());
    if (c.lost() > 0) {
      fail(c.lost() + " confirmed messages were never consumed");
    }
    if (c.strangers() > 0) {
      fail(c.strangers() + " messages consumed that were never published");
    }
    return this;
  }

  void fail(String why) {
    failures.add(why);
    note("FAIL: %s", why);
  }

  /** Prints the RESULT line; returns the exit status. */
  int finish() {
    StringBuilder line = new StringBuilder("RESULT scenario=").append(scenario);
    line.append(" verdict=").append(failures.isEmpty() ? "pass" : "fail");
    figures.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
    line.append(" seconds=").append(String.format("%.1f", (System.nanoTime() - started) / 1e9));
    if (!failures.isEmpty()) {
      line.append(" failures=\"")
          .append(String.join("; ", failures).replace('"', '\''))
          .append('"');
    }
    System.out.println(line);
    System.out.flush();
    return failures.isEmpty() ? 0 : 1;
  }
}
