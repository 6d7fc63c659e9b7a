package dev.warren.faults;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Reads every {@code *.events} file of a run and prints the {@link Checker}'s counts and failures:
 *
 * <pre>
 * counts published=12000 confirmed=11990 nacked=0 in-doubt=10 deliveries=12130 ...
 * FAIL lost: 3 message(s), e.g. p1-000042 p1-000043 p2-000107
 * RESULT verdict=fail
 * </pre>
 *
 * Exit status 0 when every guarantee holds (or fails only as {@code --tolerate} allows), 1 when one
 * fails.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = "Judges a run from its clients' event logs; exit 1 when a guarantee fails.")
final class Check implements Callable<Integer> {
  @Option(
      names = "--events",
      required = true,
      description = "directory holding the clients' *.events files")
  Path dir;

  @Option(
      names = "--tolerate",
      split = ",",
      description =
          "failure kinds reported but not failing the check: a reference broker's known"
              + " deviation (lost, never-published, delivered-after-commit,"
              + " redelivered-without-flag)")
  Set<String> tolerated = Set.of();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Checker checker = new Checker();
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".events")).sorted().toList();
    }
    for (Path f : files) {
      String client = f.getFileName().toString().replace(".events", "");
      try (Stream<String> lines = Files.lines(f)) {
        lines.filter(l -> !l.isBlank()).forEach(l -> checker.add(Event.parse(client, l)));
      }
    }
    Checker.Verdict v = checker.verdict();
    PrintWriter out = spec.commandLine().getOut();
    StringBuilder counts = new StringBuilder("counts clients=" + files.size());
    v.counts().forEach((k, n) -> counts.append(' ').append(k).append('=').append(n));
    out.println(counts);
    boolean passed = true;
    for (Map.Entry<String, List<String>> f : v.failures().entrySet()) {
      boolean tolerate = tolerated.contains(f.getKey());
      passed &= tolerate;
      out.println(
          (tolerate ? "TOLERATED " : "FAIL ")
              + f.getKey()
              + ": "
              + v.counts().get(f.getKey())
              + " message(s), e.g. "
              + String.join(", ", f.getValue()));
    }
    out.println("RESULT verdict=" + (passed ? "pass" : "fail"));
    out.flush();
    return passed ? 0 : 1;
  }
}
