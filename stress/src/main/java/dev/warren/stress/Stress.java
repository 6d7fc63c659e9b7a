package dev.warren.stress;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The load driver of bin/stress: one subcommand per scenario, each run against a broker that is
 * already listening ({@code --host}, {@code --port}), plus {@code probe}, the round trip that tells
 * whether the broker still answers. Each prints progress, then a RESULT line ({@link Report}), and
 * exits 0 when its checks hold.
 *
 * <pre>
 * java -jar stress/target/stress.jar fanout-unacked --port 5672 --queues 1500 --publishers 100
 * java -jar stress/target/stress.jar --help
 * </pre>
 */
@Command(
    name = "stress",
    mixinStandardHelpOptions = true,
    description = "Overload scenarios for an AMQP 0-9-1 broker, checked with publisher confirms.",
    subcommands = {
      FanoutUnacked.class,
      ManyQueues.class,
      ManyChannels.class,
      HugeMessages.class,
      SlowNoAck.class,
      ConnectionBurst.class,
      DeclareLatency.class,
      Probe.class
    })
public final class Stress {
  private Stress() {}

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new Stress());
    cli.setExecutionExceptionHandler(
        (e, command, parsed) -> {
          System.out.println(
              "RESULT scenario="
                  + command.getCommandName()
                  + " verdict=error failures=\""
                  + String.valueOf(e).replace('"', '\'')
                  + "\"");
          e.printStackTrace();
          return 2;
        });
    System.exit(cli.execute(args));
  }
}
