package dev.warren.ctl.commands;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What set_policy and set_operator_policy are given: a policy as rabbitmqctl takes it. */
public final class PolicyArguments {
  @Parameters(index = "0", paramLabel = "<name>", description = "policy name (identifier)")
  String name;

  @Parameters(index = "1", paramLabel = "<pattern>")
  String pattern;

  @Parameters(index = "2", paramLabel = "<definition>", description = "a JSON document")
  String definition;

  @Option(names = "--priority", paramLabel = "<priority>")
  int priority;

  @Option(names = "--apply-to", paramLabel = "<queues | exchanges | all>")
  String applyTo = "all";
}
