package dev.warren.faults;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The workload and checker of the fault-injection suite (faults/run, faults/README.md): clients
 * that log every event against a three-node cluster, and the checker that judges their logs.
 *
 * <pre>
 * java -jar faults/target/faults.jar setup   --nodes 10.77.0.1:5672,... --client setup --events DIR
 * java -jar faults/target/faults.jar publish --nodes ... --prefer 1 --client p1 --events DIR
 * java -jar faults/target/faults.jar consume --nodes ... --prefer 2 --client c1 --mode tx ...
 * java -jar faults/target/faults.jar drain   --nodes ... --prefer 3 --client drain --events DIR
 * java -jar faults/target/faults.jar check   --events DIR
 * </pre>
 */
@Command(
    name = "faults",
    mixinStandardHelpOptions = true,
    description = "Workload and checker of the fault-injection suite.",
    subcommands = {Setup.class, Publish.class, Consume.class, Drain.class, Check.class})
public final class Faults {
  private Faults() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new Faults()).execute(args));
  }
}
