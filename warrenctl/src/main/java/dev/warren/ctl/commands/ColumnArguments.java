package dev.warren.ctl.commands;

import dev.warren.ctl.Column;
import dev.warren.ctl.InfoKeys;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * The arguments of a list command that shows the columns it is named: --no-table-headers and the
 * column names (see {@link InfoKeys}; none for the command's defaults).
 */
public final class ColumnArguments {
  @Mixin TableOptions table;

  @Parameters(paramLabel = "<column>", arity = "0..*", description = "columns to show")
  List<String> names = List.of();

  /**
   * The columns named, or the defaults. An unknown name is an argument error (64): call this before
   * anything else, so that it is reported before any other failure and before any request.
   */
  List<Column> select(InfoKeys keys) {
    return keys.select(names);
  }

  boolean headers() {
    return table.headers();
  }
}
