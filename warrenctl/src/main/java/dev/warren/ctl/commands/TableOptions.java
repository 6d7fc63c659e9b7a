package dev.warren.ctl.commands;

import picocli.CommandLine.Option;

/** The option every list command takes besides the global ones. */
public final class TableOptions {
  @Option(names = "--no-table-headers", description = "do not print the header row")
  boolean noTableHeaders;

  boolean headers() {
    return !noTableHeaders;
  }
}
