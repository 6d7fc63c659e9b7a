package dev.warren.ctl.commands;

import dev.warren.ctl.ExitCode;
import dev.warren.ctl.UsageException;

/** What export_definitions and import_definitions share. */
final class Definitions {
  private Definitions() {}

  /** Only JSON goes over HTTP; rabbitmqctl's erlang format (compressed terms) does not. */
  static void checkFormat(String format) {
    if ("erlang".equals(format)) {
      throw new UsageException(
          "Bad argument: the erlang format is not available over the management HTTP API; use"
              + " json");
    }
    if (!"json".equals(format)) {
      throw new UsageException(
          ExitCode.DATA_ERROR, "Bad argument: Format should be either json or erlang");
    }
  }
}
